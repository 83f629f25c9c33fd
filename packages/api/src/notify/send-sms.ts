import type { Task } from 'graphile-worker';
import {
  activeRecipients,
  findOutgoingSms,
  isOptedOut,
  readSeqOf,
  storeOutgoingSms,
  ticketForMail,
  updateOutgoingSms,
  verifiedPhonesOf,
  type Db,
  type OutgoingSmsRow,
} from '@parley/db';
import { PermanentSendError } from '../channels/adapter';
import type { Channels } from '../channels/channels';
import { isOn, preferenceTables } from './preferences';
import type { NoticeJob } from './pump';
import type { NotifySettings } from './settings';
import { renderSms } from './sms-text';

type SendDeps = { db: Db; settings: NotifySettings; channels: Channels };

/**
 * The SMS send job, like the email's: renders the text once (stored in `outgoing_sms`
 * under the job's idempotency key), then hands it to Twilio through the SMS adapter. A
 * row already sent or failed is never sent again; a number that replied STOP gets
 * nothing (recorded failed, not retried); a refusal Twilio calls permanent, or the last
 * try, is recorded failed; anything else is retried with backoff.
 */
export function createSendSmsTask(deps: SendDeps): Task {
  return async (payload, helpers) => {
    const job = payload as NoticeJob;
    const lastTry = helpers.job.attempts >= helpers.job.max_attempts;
    const sms = (await findOutgoingSms(deps.db, job.key)) ?? (await render(deps, job));
    if (!sms || sms.status !== 'pending') return;
    const fail = (error: string, attempted: boolean) =>
      updateOutgoingSms(deps.db, { id: sms.id, status: 'failed', error, attempted });
    if (await isOptedOut(deps.db, { channel: 'sms', address: sms.toPhone })) {
      return fail('The number replied STOP: no SMS to it until it replies START', false);
    }
    const adapter = deps.channels.adapter('sms');
    if (!adapter) {
      const reason = 'SMS is not set up on this server';
      if (lastTry) return fail(reason, false);
      throw new Error(reason);
    }
    let providerMessageId: string | undefined;
    try {
      const sent = await adapter.send({
        to: sms.toPhone,
        text: sms.body,
        quickReplies: [],
        media: [],
        template: null,
      });
      providerMessageId = sent.providerMessageIds[0];
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentSendError || lastTry) return fail(reason, true);
      await updateOutgoingSms(deps.db, {
        id: sms.id,
        status: 'pending',
        error: reason,
        attempted: true,
      });
      throw error; // graphile-worker retries with exponential backoff
    }
    await updateOutgoingSms(deps.db, {
      id: sms.id,
      status: 'sent',
      error: null,
      attempted: true,
      ...(providerMessageId ? { providerMessageId } : {}),
    });
  };
}

/** Checks the delivery still makes sense, renders it and stores it; null: skip it. */
async function render({ db, settings }: SendDeps, job: NoticeJob): Promise<OutgoingSmsRow | null> {
  const [recipient] = await activeRecipients(db, [job.userId]);
  if (!recipient) return null;
  const tables = await preferenceTables(db, [recipient.id]);
  if (!isOn(tables.get(recipient.id), job.kind, 'sms')) return null;
  const phone = (await verifiedPhonesOf(db, [recipient.id])).get(recipient.id);
  if (!phone) return null; // the number was removed (or replaced) since
  if (job.kind === 'agent_replied' && job.messageSeq !== null) {
    // Read live while the job waited: the customer has seen it, no text.
    const readSeq = await readSeqOf(db, { ticketId: job.ticketId, userId: recipient.id });
    if (readSeq >= job.messageSeq) return null;
  }
  const ticket = await ticketForMail(db, job.ticketId);
  if (!ticket) return null;
  const staff = recipient.role !== 'customer';
  return storeOutgoingSms(db, {
    idempotencyKey: job.key,
    userId: recipient.id,
    ticketId: ticket.id,
    kind: job.kind,
    toPhone: phone,
    body: renderSms({
      kind: job.kind,
      ticket,
      ticketUrl: `${settings.publicUrl}${staff ? '/agent' : ''}/tickets/${ticket.id}`,
    }),
    status: 'pending',
  });
}
