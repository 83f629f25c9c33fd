import { kindHasChannel, type NotificationChannel } from '@parley/contract';
import {
  activeRecipients,
  type EventRow,
  enqueueJob,
  isPlaceholderEmail,
  lockLogCursor,
  moveLogCursor,
  readLogBatch,
  staffWhoOptedIn,
  verifiedPhonesOf,
  type Db,
  type DbOrTx,
  type Recipient,
} from '@parley/db';
import { parseLoggedEvent } from '../realtime/events';
import { deliveryKey, kindFitsRole, planNotices, type Notice } from './planner';
import { isOn, preferenceTables } from './preferences';

/** The cursor row of this consumer in `log_cursors`. */
export const notifyCursor = 'notify';
/** The graphile-worker task that renders and sends one email. */
export const sendEmailTask = 'notify-email';
/** The graphile-worker task that renders and sends one notification SMS. */
export const sendSmsTask = 'notify-sms';
const taskOf: Record<NotificationChannel, string> = { email: sendEmailTask, sms: sendSmsTask };
/** A send is tried this often (graphile-worker backs off exponentially), then left failed. */
export const sendMaxAttempts = 10;

/** What a send job carries: enough to render the email (or SMS) at send time. */
export type NoticeJob = {
  key: string;
  kind: Notice['kind'];
  userId: string;
  ticketId: string;
  eventId: number;
  messageSeq: number | null;
};

export type PumpOptions = {
  db: Db;
  /** The consumer's row in `log_cursors` (`notify` for email, `webhooks`). */
  cursor: string;
  /** Turns a batch of events into jobs, in the pass's transaction. */
  plan: (tx: DbOrTx, rows: EventRow[]) => Promise<void>;
  /** Events planned per transaction. */
  batchSize?: number;
  pollMs: number;
  onError: (message: string, error: unknown) => void;
};

/**
 * Turns the event log into send jobs (email, webhooks: one pump per consumer, each with
 * its own cursor and planner). Each pass locks its cursor row, reads the
 * events after it, plans their deliveries, adds one job per delivery (job key = the
 * idempotency key) and moves the cursor, all in one transaction: a crash rolls back
 * both the jobs and the move, so no job is lost or doubled. Several processes share the
 * work: one holds the row (FOR UPDATE), the others skip it (SKIP LOCKED) and look again.
 */
export class LogPump {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PumpOptions) {}

  /** Starts the safety poll (a missed wake-up costs at most `pollMs`). */
  start(): void {
    const tick = () => {
      if (this.stopped) return;
      void this.wake().finally(() => {
        if (this.stopped) return;
        this.timer = setTimeout(tick, this.options.pollMs);
        this.timer.unref();
      });
    };
    tick();
  }

  /** Plans whatever is new; wake-ups during a pass fold into one more pass. */
  wake(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        let outcome: PassOutcome;
        do outcome = await this.pass();
        while (outcome === 'more' && !this.stopped);
        // Another process holds the cursor: it may have read before our event committed.
        if (outcome === 'busy') this.again = await later(100, () => !this.stopped);
      } catch (error) {
        this.options.onError(`${this.options.cursor} pump failed (the next poll retries)`, error);
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** One transaction: lock the cursor, plan a batch, enqueue, move the cursor. */
  private pass(): Promise<PassOutcome> {
    const batchSize = this.options.batchSize ?? 200;
    return this.options.db.transaction(async (tx) => {
      const { cursor } = this.options;
      const position = await lockLogCursor(tx, cursor);
      if (position === null) return 'busy';
      const rows = await readLogBatch(tx, { afterId: position, limit: batchSize });
      const last = rows.at(-1);
      if (!last) return 'done';
      await this.options.plan(tx, rows);
      await moveLogCursor(tx, { name: cursor, position: last.id });
      return rows.length === batchSize ? 'more' : 'done';
    });
  }
}

type PassOutcome = 'done' | 'more' | 'busy';

/**
 * The notification planner of a pass: notices, recipients and preferences → send jobs,
 * by email, and by SMS (opt-in, to verified numbers) while SMS is set up.
 */
export async function planNotificationJobs(
  tx: DbOrTx,
  rows: EventRow[],
  options: {
    replyDelaySeconds: number;
    smsAvailable: () => boolean;
    onError: (message: string, error: unknown) => void;
  },
): Promise<void> {
  const notices: Notice[] = [];
  for (const row of rows) {
    const logged = parseLoggedEvent(row, options.onError);
    if (logged) notices.push(...planNotices(logged, row, options.replyDelaySeconds));
  }
  const channels: NotificationChannel[] = options.smsAvailable() ? ['email', 'sms'] : ['email'];
  for (const channel of channels) {
    for (const job of await deliveries(tx, notices, channel)) {
      await enqueueJob(tx, {
        task: taskOf[channel],
        payload: job.payload,
        jobKey: job.payload.key,
        runAt: job.runAt,
        maxAttempts: sendMaxAttempts,
      });
    }
  }
}

/**
 * Notices → jobs on one channel: recipients resolved, disabled accounts and switched-off
 * kinds dropped, and people the channel cannot reach (no address; no verified number).
 */
async function deliveries(
  tx: DbOrTx,
  notices: Notice[],
  channel: NotificationChannel,
): Promise<Array<{ payload: NoticeJob; runAt: Date | null }>> {
  const direct = [
    ...new Set(notices.flatMap((n) => (n.to === 'opted-in-staff' ? [] : [n.to.userId]))),
  ];
  const people = new Map<string, Recipient>(
    (await activeRecipients(tx, direct)).map((person) => [person.id, person]),
  );
  const tables = await preferenceTables(tx, [...people.keys()]);
  const optedIn = new Map<string, Recipient[]>();
  const jobs: Array<{ payload: NoticeJob; runAt: Date | null }> = [];
  // By SMS: who has a verified number, asked once per batch of people not yet asked about.
  const hasPhone = new Map<string, boolean>();
  const learnPhones = async (recipients: Recipient[]) => {
    const unknown = recipients.map((person) => person.id).filter((id) => !hasPhone.has(id));
    if (channel !== 'sms' || unknown.length === 0) return;
    const phones = await verifiedPhonesOf(tx, unknown);
    for (const id of unknown) hasPhone.set(id, phones.has(id));
  };
  // A contact known by phone only (WhatsApp, SMS) has no address to mail; the channel
  // itself brings them the team's replies.
  const canReach = (person: Recipient): boolean =>
    channel === 'email' ? !isPlaceholderEmail(person.email) : hasPhone.get(person.id) === true;
  await learnPhones([...people.values()]);
  for (const notice of notices) {
    if (!kindHasChannel(notice.kind, channel)) continue;
    let recipients: Recipient[];
    if (notice.to === 'opted-in-staff') {
      let staff = optedIn.get(notice.kind);
      if (!staff) {
        staff = await staffWhoOptedIn(tx, { kind: notice.kind, channel });
        optedIn.set(notice.kind, staff);
        await learnPhones(staff);
      }
      recipients = staff;
    } else {
      const person = people.get(notice.to.userId);
      recipients = person && isOn(tables.get(person.id), notice.kind, channel) ? [person] : [];
    }
    for (const person of recipients) {
      if (!kindFitsRole(notice.kind, person.role)) continue;
      if (!canReach(person)) continue;
      const key = deliveryKey({
        eventId: notice.eventId,
        kind: notice.kind,
        userId: person.id,
        channel,
      });
      jobs.push({
        payload: {
          key,
          kind: notice.kind,
          userId: person.id,
          ticketId: notice.ticketId,
          eventId: notice.eventId,
          messageSeq: notice.messageSeq,
        },
        runAt: notice.runAt,
      });
    }
  }
  return jobs;
}

/** Resolves after `ms` with `check()`'s answer then. */
function later(ms: number, check: () => boolean): Promise<boolean> {
  return new Promise((resolve) => setTimeout(() => resolve(check()), ms).unref());
}
