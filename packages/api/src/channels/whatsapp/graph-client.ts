import { z } from 'zod';

/** How the adapter reaches the Graph API (one per adapter). */
export type GraphClient = {
  /** `{apiUrl}/{version}` without a trailing slash. */
  base: string;
  accessToken: string;
  fetch: typeof fetch;
  timeoutMs: number;
};

/**
 * A Graph API call that failed. `retryable` says whether the same request may succeed
 * later: no answer (network, timeout), 5xx, 408, 429, or one of Meta's throttling codes,
 * which arrive as HTTP 400. Every other 4xx is the request's own fault.
 */
export class GraphApiError extends Error {
  override name = 'GraphApiError';
  constructor(
    message: string,
    readonly details: {
      status: number | null;
      code: number | null;
      subcode: number | null;
      retryable: boolean;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Meta's codes for "too much, too fast" or "we are down for now": trying later can work.
// (Rate limits: 4 app, 80007 account, 130429 throughput, 131048 spam, 131056 pair;
// 2 and 133004 service temporarily unavailable.)
const retryableCodes = new Set([2, 4, 80007, 130429, 131048, 131056, 133004]);

// What a few common refusals mean for someone reading the failure on a message.
const explanations = new Map<number, string>([
  [
    131047,
    'more than 24 hours since the customer last wrote: only an approved template can be sent',
  ],
  [
    131026,
    'the message could not be delivered to this number (not on WhatsApp, or cannot receive it)',
  ],
  [131030, 'the number is not in the allowed list of this test phone number'],
  [131051, 'WhatsApp does not support this message type'],
  [132000, 'the number of template variables does not match the template'],
  [132001, 'the template does not exist in this language, or is not approved'],
  [190, 'the access token is invalid or expired'],
]);

const graphErrorBody = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.object({ details: z.string().optional() }).optional(),
  }),
});

/**
 * Makes one Graph request with the bearer token and a deadline covering the whole
 * exchange (until `read` has the body). Throws GraphApiError for a failure, with the
 * Graph error's message and code.
 */
export async function graphRequest<T>(
  client: GraphClient,
  what: string,
  url: string,
  init: { method: 'GET' | 'POST'; body?: RequestInit['body']; json?: unknown },
  read: (response: Response) => Promise<T>,
): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${client.accessToken}` };
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  const signal = AbortSignal.timeout(client.timeoutMs);
  try {
    const response = await client.fetch(url, { method: init.method, headers, body, signal });
    if (!response.ok) throw await failure(what, response);
    return await read(response);
  } catch (error) {
    if (error instanceof GraphApiError) throw error;
    const reason = signal.aborted
      ? `no answer within ${client.timeoutMs} ms`
      : error instanceof Error
        ? error.message
        : String(error);
    throw new GraphApiError(
      `WhatsApp ${what} failed: ${reason}`,
      { status: null, code: null, subcode: null, retryable: true },
      { cause: error },
    );
  }
}

async function failure(what: string, response: Response): Promise<GraphApiError> {
  const text = await response.text().catch(() => '');
  let parsed: z.infer<typeof graphErrorBody>['error'] | null = null;
  try {
    parsed = graphErrorBody.parse(JSON.parse(text)).error;
  } catch {
    // Not a Graph error body (a proxy's page, say): the status alone decides.
  }
  const status = response.status;
  const code = parsed?.code ?? null;
  const retryable =
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    (code !== null && retryableCodes.has(code));
  const said =
    [parsed?.message, parsed?.error_data?.details ?? parsed?.error_user_msg]
      .filter(Boolean)
      .join(': ') ||
    text.slice(0, 200) ||
    response.statusText;
  const explanation = code === null ? undefined : explanations.get(code);
  const codes = [
    `HTTP ${status}`,
    code !== null && `code ${code}`,
    parsed?.error_subcode && `subcode ${parsed.error_subcode}`,
  ]
    .filter(Boolean)
    .join(', ');
  return new GraphApiError(
    `WhatsApp ${what} refused (${codes}): ${explanation ? `${explanation} — ` : ''}${said}`,
    { status, code, subcode: parsed?.error_subcode ?? null, retryable },
  );
}
