/**
 * What a messaging channel (WhatsApp, SMS, …) must provide for Parley to hold
 * conversations over it. An adapter speaks its provider's formats and nothing else: it
 * verifies and parses what the provider posts, and sends what Parley gives it. Contacts,
 * tickets, the bot, idempotency and retries are Parley's (channels/inbound.ts,
 * channels/outbound.ts), the same for every channel.
 */

/** The channels an adapter can serve (a subset of the contract's ticket channels). */
export type MessagingChannel = 'whatsapp' | 'sms';

export const isMessagingChannel = (channel: string): channel is MessagingChannel =>
  channel === 'whatsapp' || channel === 'sms';

/** The raw request a provider's webhook made: the bytes exactly as received. */
export type ProviderRequest = {
  method: string;
  /** The full URL the provider called (Twilio signs it), as Parley's public address sees it. */
  url: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
};

/** A file the provider holds for an inbound message; fetched with `fetchMedia`. */
export type InboundMedia = {
  /** The provider's reference (WhatsApp: media id; Twilio: media URL). */
  ref: string;
  contentType: string | null;
  fileName: string | null;
};

/** One message the contact sent. */
export type InboundMessage = {
  kind: 'message';
  /** The provider's message id: a retried webhook carries the same one (idempotency). */
  providerMessageId: string;
  /** The contact's address in E.164 (`+14155550123`). */
  from: string;
  /** The name the provider knows the contact by (WhatsApp profile name), if any. */
  profileName: string | null;
  /** The text, a caption, or a tapped button's title; '' for a file alone. */
  text: string;
  media: InboundMedia[];
  at: Date;
};

/** Where a message Parley sent has got to, as the provider reports it. */
export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A status callback for a message Parley sent. */
export type InboundStatus = {
  kind: 'status';
  providerMessageId: string;
  status: DeliveryStatus;
  /** The provider's reason for a failure, in words. */
  error: string | null;
  at: Date;
};

/** What one webhook request carried (a provider may batch several). */
export type InboundItem = InboundMessage | InboundStatus;

/**
 * Whether a failed media download will fail the same way next time (the file is over a
 * limit, the provider said so): adapters mark such errors `retryable: false` (directly or
 * in `details`). The message is then taken without that file instead of being refused.
 */
export function isPermanentMediaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const marked = error as { retryable?: unknown; details?: { retryable?: unknown } };
  return marked.retryable === false || marked.details?.retryable === false;
}

/** A template approved at the provider (WhatsApp outside the 24-hour window). */
export type TemplateSend = { name: string; language: string; variables: string[] };

/** One outbound message. */
export type OutboundMessage = {
  /** The contact's address in E.164. */
  to: string;
  text: string;
  /** Up to 3 quick replies the contact may tap (the bot's chips). */
  quickReplies: string[];
  /**
   * Files to send: `url` is a short-lived signed public address the provider may fetch
   * (Twilio's MediaUrl); `read` gives the bytes to upload (WhatsApp's media endpoint).
   */
  media: Array<{ url: string; contentType: string; fileName: string; read(): Promise<Buffer> }>;
  /** Sent instead of `text` when set. */
  template: TemplateSend | null;
};

/**
 * Resuming a send. One message may take several provider messages, its parts (a long
 * text split, each file), sent one after another; neither provider has an idempotency
 * key, so a retry after a later part failed must not send the earlier ones again. The
 * caller records each part as the provider takes it and passes the parts recorded.
 */
export type SendProgress = {
  /** Indexes of the parts (0-based, in the order `send` sends them) sent before: skipped. */
  sent: ReadonlySet<number>;
  /**
   * Called as soon as the provider took a part, before the next is sent (awaited: a
   * failure stops the send).
   */
  onPartSent(part: number, providerMessageId: string): Promise<void>;
};

/** Thrown by `send` when trying again cannot help (bad number, refused content). */
export class PermanentSendError extends Error {
  override name = 'PermanentSendError';
}

export interface ChannelAdapter {
  readonly channel: MessagingChannel;
  /**
   * Checks the request's signature over its raw bytes; false refuses it before anything
   * is parsed or stored.
   */
  verify(request: ProviderRequest): boolean;
  /** The messages and status callbacks of a verified request (unknown parts are skipped). */
  parse(request: ProviderRequest): InboundItem[];
  /**
   * The answer to a verified webhook request, in the provider's expected format
   * (WhatsApp: 200 empty; Twilio: an empty TwiML `<Response/>`).
   */
  acknowledgement(): { contentType: string; body: string };
  /**
   * A subscription handshake made with GET (WhatsApp's `hub.challenge`): the answer, or
   * null when the channel has none or the token is wrong (then 403).
   */
  handshake?(url: URL): string | null;
  /**
   * Whether an inbound text is a consent keyword the provider's rules make binding
   * (SMS: STOP, UNSUBSCRIBE… → 'opt-out'; START, UNSTOP → 'opt-in'), else null.
   */
  consent?(text: string): 'opt-out' | 'opt-in' | null;
  /** Downloads an inbound file. */
  fetchMedia(media: InboundMedia): Promise<{ bytes: Buffer; contentType: string }>;
  /**
   * Sends one message, in as many parts as the provider needs, skipping the parts
   * `progress` says were sent; answers the provider's ids of the parts it sent, in order
   * (status callbacks name them). Throws PermanentSendError when a retry cannot succeed,
   * any other error otherwise (the parts sent before the failure were reported).
   */
  send(
    message: OutboundMessage,
    progress?: SendProgress,
  ): Promise<{ providerMessageIds: string[] }>;
}
