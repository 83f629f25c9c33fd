/** How Parley receives mail (env PARLEY_SMTP_IN_PORT, PARLEY_SUPPORT_ADDRESS; README). */
export type EmailInSettings = {
  /** The SMTP listener's port; 0 picks a free one (tests). */
  port: number;
  /** The interface it listens on (the server's HOST). */
  host: string;
  /** Mail to this address opens tickets; replies go to `reply+…@` its domain. Lower case. */
  supportAddress: string;
  /** The largest mail accepted (SIZE), in bytes: the upload limit, so its .eml fits. */
  maxBytes: number;
  /** SMTP connections at once; more wait for the operator's MX to retry. */
  maxClients: number;
};

/** An address customers can write to: a domain with a dot. */
export const addressPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * The listener's settings from the environment, or null when PARLEY_SMTP_IN_PORT is
 * unset (email in is off). A bad value fails the start-up with the variable's name.
 */
export function emailInSettingsFromEnv(
  defaults: { host: string; maxBytes: number },
  env: NodeJS.ProcessEnv = process.env,
): EmailInSettings | null {
  const portText = env.PARLEY_SMTP_IN_PORT;
  if (portText === undefined || portText === '') return null;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PARLEY_SMTP_IN_PORT must be a port number (0–65535), not "${portText}"`);
  }
  const supportAddress = env.PARLEY_SUPPORT_ADDRESS?.trim().toLowerCase() ?? '';
  if (!addressPattern.test(supportAddress)) {
    throw new Error(
      'PARLEY_SUPPORT_ADDRESS must be the email address customers write to (support@example.com) when PARLEY_SMTP_IN_PORT is set',
    );
  }
  return { port, host: defaults.host, supportAddress, maxBytes: defaults.maxBytes, maxClients: 20 };
}

/** PARLEY_SUPPORT_ADDRESS alone (notification emails' Reply-To), or null. */
export function supportAddressFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env.PARLEY_SUPPORT_ADDRESS?.trim().toLowerCase() ?? '';
  return addressPattern.test(value) ? value : null;
}
