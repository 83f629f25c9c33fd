import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { receiveMail, type ReceiveDeps, type ReceivedMail } from './receive-mail';
import { isReplyAddress } from './reply-address';
import type { EmailInSettings } from './settings';

export type EmailInOptions = Omit<ReceiveDeps, 'supportAddress'> & {
  settings: EmailInSettings;
  /**
   * The support address in use, asked at each mail (admins may change it while the
   * listener runs); `settings.supportAddress` without it.
   */
  supportAddress?: () => string;
  /** Each mail's outcome (dropped and rejected ones too), for the log. */
  onMail: (mail: ReceivedMail & { from: string }) => void;
  onError: (message: string, error: unknown) => void;
};

/** The running SMTP listener of one process. */
export type EmailIn = {
  port: number;
  /** Stops taking connections and waits for the mails being handled. */
  stop(): Promise<void>;
};

/** An SMTP reply with its code (smtp-server sends `responseCode` and the message). */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Parley's own SMTP listener (docs/email-in.md), behind the operator's MX: it takes mail
 * for the support address and for signed reply addresses on its domain, at most
 * `maxBytes` a mail (SIZE) and `maxClients` connections, and hands each mail to
 * `receiveMail`. A mail is accepted (250) once it is handled, whatever became of it;
 * a failure answers 451 so that the MX tries again later.
 */
export async function startEmailIn(options: EmailInOptions): Promise<EmailIn> {
  const { settings } = options;
  const supportAddress = options.supportAddress ?? (() => settings.supportAddress);
  const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);
  const ours = (address: string) => {
    const lower = address.toLowerCase();
    const support = supportAddress();
    return lower === support || (isReplyAddress(lower) && lower.endsWith(`@${domainOf(support)}`));
  };
  const inFlight = new Set<Promise<unknown>>();
  const deps: ReceiveDeps = { ...options, supportAddress };
  const server = new SMTPServer({
    name: domainOf(settings.supportAddress),
    banner: 'Parley',
    authOptional: true,
    // The hop from the operator's MX runs on a private network (docs/email-in.md).
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: settings.maxBytes,
    maxClients: settings.maxClients,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (ours(address.address)) return callback();
      callback(smtpError(550, `No such mailbox here: ${address.address}`));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      // Past the limit the rest is read and thrown away (the answer is 552), not kept.
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= settings.maxBytes) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > settings.maxBytes) {
          callback(smtpError(552, `Message too large: at most ${settings.maxBytes} bytes`));
          return;
        }
        const mailFrom = session.envelope.mailFrom;
        const envelope = {
          returnPath: mailFrom ? mailFrom.address.toLowerCase() : '',
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
        };
        const work = (async () => {
          let mail;
          try {
            mail = await receiveMail(deps, Buffer.concat(chunks), envelope);
          } catch (error) {
            options.onError('a received mail could not be handled', error);
            callback(smtpError(451, 'Temporary failure: please try again later'));
            return;
          }
          callback();
          options.onMail({ ...mail, from: envelope.returnPath });
        })();
        inFlight.add(work);
        void work.finally(() => inFlight.delete(work));
      });
    },
  });
  server.on('error', (error) => options.onError('SMTP listener error', error));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
