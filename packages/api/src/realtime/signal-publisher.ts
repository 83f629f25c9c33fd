import { notifySignals, type Db } from '@parley/db';
import type { SignalMessage } from './signals';

/**
 * Sends signals to every process through the pool, one statement at a time and in
 * order (a `gone` must not overtake its `here`); signals queued meanwhile go out together.
 */
export function createSignalPublisher(db: Db, onError: (error: unknown) => void) {
  let pending: string[] = [];
  let sending: Promise<void> | null = null;

  const send = async () => {
    while (pending.length > 0) {
      const payloads = pending.slice(0, 50);
      pending = pending.slice(50);
      try {
        await notifySignals(db, { payloads });
      } catch (error) {
        onError(error);
      }
    }
  };

  return {
    publish(message: SignalMessage): void {
      pending.push(JSON.stringify(message));
      sending ??= send().finally(() => {
        sending = null;
      });
    },
    /** Resolves when every signal published so far was sent (or failed). */
    async flush(): Promise<void> {
      await sending;
    },
  };
}
