import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the test SMTP server received it. */
export type ReceivedMail = {
  to: string[];
  /** Header names lower-cased, folded lines joined. */
  headers: Map<string, string>;
  /** The whole message as sent (MIME). */
  raw: string;
};

export type SmtpInbox = AsyncDisposable & {
  /** `smtp://127.0.0.1:<port>` for PARLEY_SMTP_URL. */
  url: string;
  readonly mails: ReceivedMail[];
  /** The messages carrying an idempotency key (the `X-Parley-Idempotency-Key` header). */
  withKey(key: string): ReceivedMail[];
  /** Messages whose DATA arrived and whose answer is held (`hold`): not accepted yet. */
  readonly held: number;
  /** From now on, holds each message's answer (as `hold` does from the start). */
  hold(): void;
  /** Accepts what is held and answers every later message at once. */
  release(): void;
  /** Resolves when `predicate` holds for the mail received so far. */
  waitFor(predicate: (mails: ReceivedMail[]) => boolean, timeoutMs?: number): Promise<void>;
};

/**
 * A real SMTP server (`smtp-server`) on a free port in the test process: Parley's
 * nodemailer hands it each email over a real SMTP conversation. With `hold`, a message's
 * answer waits until `release()`: the sender is in the middle of a send (a crash test
 * kills it then); a message whose connection closes while held was never accepted.
 */
export async function startSmtpInbox(options: { hold?: boolean } = {}): Promise<SmtpInbox> {
  const mails: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) wake();
  };
  let holding = options.hold ?? false;
  const held = new Map<string, () => void>(); // by session id
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const accept = () => {
          mails.push({
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            headers: parseHeaders(raw),
            raw,
          });
          wakeAll();
          callback();
        };
        if (!holding) return accept();
        held.set(session.id, accept);
        wakeAll();
      });
    },
    onClose(session) {
      if (held.delete(session.id)) wakeAll();
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get held() {
      return held.size;
    },
    hold: () => void (holding = true),
    release() {
      holding = false;
      const accepts = [...held.values()];
      held.clear();
      for (const accept of accepts) accept();
    },
    withKey: (key) => mails.filter((mail) => mail.headers.get('x-parley-idempotency-key') === key),
    waitFor(predicate, timeoutMs = 15_000) {
      if (predicate(mails)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no such mail within ${timeoutMs} ms (${mails.length} received)`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(mails)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    async [Symbol.asyncDispose]() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** A message's body as a reader sees it: quoted-printable soft breaks and escapes undone. */
export function mailBody(mail: ReceivedMail): string {
  return mail.raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The mail to `to` whose subject contains `subject`, in the order received. */
export function mailsTo(inbox: SmtpInbox, to: string, subject: string): ReceivedMail[] {
  return inbox.mails.filter(
    (mail) => mail.to.includes(to) && mail.headers.get('subject')?.includes(subject),
  );
}

/** The full link to `path` (with its `?token=`) in `mail`, as the recipient would click it. */
export function linkIn(mail: ReceivedMail, path: string): string | undefined {
  return new RegExp(`https?://[^\\s"<>]+${path}\\?token=[\\w-]+`).exec(mailBody(mail))?.[0];
}
