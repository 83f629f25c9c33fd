/** What `createTwilioAdapter` takes. */
export type TwilioConfig = {
  /** Twilio's REST base, `https://api.twilio.com` unless a test points it at a fake. */
  apiUrl?: string;
  accountSid: string;
  /** Signs webhooks and, with the account sid, authenticates API calls. */
  authToken: string;
  /** The sender: an E.164 number, or a Messaging Service sid (`MG…`). */
  from: string;
  /** Where Twilio posts delivery statuses of sent messages; null: none asked for. */
  statusCallbackUrl: string | null;
  fetch?: typeof fetch;
  /** Per API call and per media download; default 10 s. */
  timeoutMs?: number;
  /** The largest inbound file downloaded; default 25 MB. */
  maxMediaBytes?: number;
};

/** The config with its defaults applied, as the adapter's parts use it. */
export type TwilioSettings = {
  apiUrl: string;
  accountSid: string;
  authToken: string;
  from: string;
  statusCallbackUrl: string | null;
  fetch: typeof fetch;
  timeoutMs: number;
  maxMediaBytes: number;
  /** `Basic base64(AccountSid:AuthToken)` */
  basicAuth: string;
};

export const defaultTwilioApiUrl = 'https://api.twilio.com';

export function twilioSettings(config: TwilioConfig): TwilioSettings {
  for (const key of ['accountSid', 'authToken', 'from'] as const) {
    if (!config[key]) throw new Error(`Twilio adapter: ${key} is required`);
  }
  const apiUrl = (config.apiUrl ?? defaultTwilioApiUrl).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiUrl)) {
    throw new Error(`Twilio adapter: apiUrl must be an http(s) URL, got ${apiUrl}`);
  }
  return {
    apiUrl,
    accountSid: config.accountSid,
    authToken: config.authToken,
    from: config.from,
    statusCallbackUrl: config.statusCallbackUrl,
    fetch: config.fetch ?? globalThis.fetch,
    timeoutMs: config.timeoutMs ?? 10_000,
    maxMediaBytes: config.maxMediaBytes ?? 25 * 1024 * 1024,
    basicAuth: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
  };
}
