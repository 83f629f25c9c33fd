import { errorCode, errorMessage } from '../../api/errors';
import type { Message } from '../../api/types';
import { randomId } from '../../lib/uuid';
import type { UploadedFile } from '../attachments/upload';
import {
  emptyThread,
  newestSeq,
  oldestSeq,
  threadReducer,
  type PendingMessage,
  type ThreadAction,
  type ThreadState,
} from './thread-state';

/** The two procedures a thread needs, as plain functions (the tRPC client in the app). */
export type ThreadApi = {
  list(input: {
    ticketId: string;
    before?: number;
    after?: number;
    limit?: number;
  }): Promise<{ items: Message[]; hasMore: boolean; othersReadSeq?: number | null }>;
  send(input: {
    ticketId: string;
    body: string;
    clientId: string;
    internal?: boolean;
    attachmentIds?: string[];
  }): Promise<Message>;
};

export type ThreadSnapshot = ThreadState & { loadError: string | null; loadingOlder: boolean };

const pageSize = 50;
const retryDelaysMs = [400, 1_200];

/** A failure worth one more try: no answer at all, the server's own error, or its database away. */
const isTransient = (error: unknown) => {
  const code = errorCode(error);
  return code === undefined || code === 'INTERNAL_SERVER_ERROR' || code === 'SERVICE_UNAVAILABLE';
};

/**
 * The messages of one ticket: the newest page first, older pages on demand, live
 * messages merged in, and a catch-up read after (re)subscribing or reconnecting, so
 * nothing sent meanwhile is missed and nothing shows twice. Sends are optimistic and
 * carry a `clientId`, so a retry can never create a second message.
 */
export class ThreadStore {
  private snapshot: ThreadSnapshot = { ...emptyThread, loadError: null, loadingOlder: false };
  private readonly listeners = new Set<() => void>();
  private streamReady = false;
  private catchingUp: Promise<void> | null = null;

  constructor(
    private readonly api: ThreadApi,
    private readonly ticketId: string,
  ) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ThreadSnapshot => this.snapshot;

  private update(patch: Partial<ThreadSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }

  private dispatch(action: ThreadAction) {
    const { loadError, loadingOlder } = this.snapshot;
    const next = threadReducer(this.snapshot, action);
    if (next !== this.snapshot) this.update({ ...next, loadError, loadingOlder });
  }

  loadNewest = async (): Promise<void> => {
    this.update({ loadError: null });
    let page: Awaited<ReturnType<ThreadApi['list']>>;
    try {
      page = await this.api.list({ ticketId: this.ticketId, limit: pageSize });
    } catch (error) {
      this.update({ loadError: errorMessage(error) });
      return;
    }
    this.dispatch({ type: 'loaded', items: page.items, hasOlder: page.hasMore });
    // "Seen" from what the other side had read before this page opened.
    if (page.othersReadSeq) this.othersRead(page.othersReadSeq);
    // The thread is loaded and stays shown even if this read fails: the next reconnect
    // or stream start reads forward again.
    if (this.streamReady) await this.catchUp().catch(() => {});
  };

  /**
   * Reads forward from the newest message held; concurrent calls share one run. A
   * thread whose first load failed (the server was away) loads now instead: called on
   * every reconnect and stream start, so the page recovers without a click.
   */
  catchUp = (): Promise<void> => {
    if (!this.snapshot.loaded) {
      return this.snapshot.loadError !== null ? this.loadNewest() : Promise.resolve();
    }
    this.catchingUp ??= this.readForward().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  };

  private async readForward(): Promise<void> {
    let after = newestSeq(this.snapshot);
    // Bounded: a client that far behind gets `resync` and reloads anyway.
    for (let round = 0; round < 50; round++) {
      const page = await this.api.list({ ticketId: this.ticketId, after, limit: 200 });
      this.dispatch({ type: 'received', items: page.items });
      const last = page.items.at(-1);
      if (!page.hasMore || !last) return;
      after = last.seq;
    }
  }

  loadOlder = async (): Promise<void> => {
    const before = oldestSeq(this.snapshot);
    if (this.snapshot.loadingOlder || !this.snapshot.hasOlder || before === undefined) return;
    this.update({ loadingOlder: true });
    try {
      const page = await this.api.list({ ticketId: this.ticketId, before, limit: pageSize });
      this.dispatch({ type: 'older', items: page.items, hasOlder: page.hasMore });
    } catch {
      // The next scroll towards the top tries again.
    } finally {
      this.update({ loadingOlder: false });
    }
  };

  /** Shows the message at once and sends it. */
  send = (body: string, internal = false, files: UploadedFile[] = []): void => {
    const pending: PendingMessage = {
      clientId: randomId(),
      body,
      internal,
      ...(files.length ? { files } : {}),
      createdAt: new Date().toISOString(),
      state: 'sending',
    };
    this.dispatch({ type: 'sending', pending });
    void this.deliver(pending);
  };

  /** Sends a failed message again with the same `clientId`: the server keeps one copy. */
  retry = (clientId: string): void => {
    const pending = this.snapshot.pending.find((p) => p.clientId === clientId);
    if (!pending) return;
    this.dispatch({ type: 'retrying', clientId });
    void this.deliver(pending);
  };

  /**
   * Sends, retrying a couple of times on a transient failure (network, server error):
   * safe because the server keeps one message per `clientId`. Only then is it marked failed.
   */
  private async deliver(pending: PendingMessage): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const message = await this.api.send({
          ticketId: this.ticketId,
          body: pending.body,
          clientId: pending.clientId,
          ...(pending.internal ? { internal: true } : {}),
          ...(pending.files?.length ? { attachmentIds: pending.files.map((f) => f.id) } : {}),
        });
        this.dispatch({ type: 'received', items: [message] });
        return;
      } catch (error) {
        if (attempt < retryDelaysMs.length && isTransient(error)) {
          await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
          continue;
        }
        this.dispatch({
          type: 'failed',
          clientId: pending.clientId,
          error: errorMessage(error) ?? 'Not sent',
        });
        return;
      }
    }
  }

  /** A message from the live stream. */
  received = (message: Message): void => this.dispatch({ type: 'received', items: [message] });

  /** The other side read up to `seq`. */
  othersRead = (seq: number): void => this.dispatch({ type: 'read', seq });

  /** A WhatsApp/SMS status callback for one of the thread's messages. */
  delivered = (seq: number, delivery: NonNullable<Message['delivery']>): void =>
    this.dispatch({ type: 'delivery', seq, delivery });

  /** The stream is live (`ready`) or asks to reload (`resync`): read forward from what is held. */
  streamStarted = (): void => {
    this.streamReady = true;
    void this.catchUp().catch(() => {});
  };
}
