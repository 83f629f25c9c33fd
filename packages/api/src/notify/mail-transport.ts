import nodemailer, { type Transporter } from 'nodemailer';

/** An SMTP transport with bounded waits: a send that hangs fails instead of holding its job. */
export function createMailTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}

/**
 * The transport of the SMTP server in use, made again when admins change it (Settings →
 * Channels → Email); null while mail is kept in Parley.
 */
export function liveMailTransport(smtpUrlInUse: () => string | null): () => Transporter | null {
  let url: string | null = null;
  let transport: Transporter | null = null;
  return () => {
    const next = smtpUrlInUse();
    if (next !== url) {
      transport?.close();
      url = next;
      transport = next ? createMailTransport(next) : null;
    }
    return transport;
  };
}

/** The address of a From header: `Name <a@b.c>` → `a@b.c`; a bare address as it is. */
export function fromAddress(from: string): string {
  const angled = /^[^<>]*<([^<>]*)>$/.exec(from.trim());
  return (angled ? angled[1]! : from).trim();
}

/** The From address's domain, else the public URL's host: the domain of Message-IDs. */
export function messageIdDomain(mailFrom: string, publicUrl: string): string {
  const address = fromAddress(mailFrom);
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 ? address.slice(at + 1) : new URL(publicUrl).hostname;
}
