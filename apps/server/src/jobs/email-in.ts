import { startEmailIn, type EmailIn, type EmailInSettings, type Services } from '@parley/api';
import { errorFields, type Logger } from '../log';

/**
 * Starts the SMTP listener for inbound mail (packages/api/src/email-in): every mail is
 * logged with its outcome — info for tickets and replies, warn for rejected ones (a
 * customer's address failing SPF/DKIM), debug for dropped auto-replies and duplicates.
 */
export async function startEmailInListener(params: {
  services: Services;
  settings: EmailInSettings;
  logger: Logger;
}): Promise<EmailIn> {
  const { services, logger } = params;
  const emailIn = await startEmailIn({
    db: services.db,
    files: services.files,
    uploads: services.uploads,
    limits: services.limits,
    settings: params.settings,
    // What admins saved (Settings → Channels → Email) over PARLEY_SUPPORT_ADDRESS.
    supportAddress: () =>
      services.channels.settings.email.supportAddress ?? params.settings.supportAddress,
    onMail(mail) {
      const fields = {
        status: mail.status,
        messageId: mail.messageId,
        returnPath: mail.from,
        ...(mail.reason ? { reason: mail.reason } : {}),
        ...(mail.ticketId ? { ticketId: mail.ticketId } : {}),
      };
      if (mail.status === 'rejected') logger.warn('inbound mail rejected', fields);
      else if (mail.status === 'dropped' || mail.status === 'duplicate') {
        logger.debug('inbound mail dropped', fields);
      } else logger.info('inbound mail', fields);
    },
    onError: (message, error) => logger.warn(message, errorFields(error)),
  });
  logger.info('receiving mail', {
    port: emailIn.port,
    supportAddress: params.settings.supportAddress,
  });
  return emailIn;
}
