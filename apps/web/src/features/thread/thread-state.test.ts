import { describe, expect, it } from 'vitest';
import type { Message } from '../../api/types';
import { emptyThread, mergeMessages, threadReducer, type PendingMessage } from './thread-state';
import { testMessage as message } from './test-message';

const pending = (clientId: string): PendingMessage => ({
  clientId,
  body: 'hello',
  internal: false,
  createdAt: new Date().toISOString(),
  state: 'sending',
});

const seqs = (messages: Message[]) => messages.map((m) => m.seq);

describe('mergeMessages', () => {
  it('appends newer messages and keeps order', () => {
    expect(seqs(mergeMessages([message(1), message(2)], [message(4), message(3)]))).toEqual([
      1, 2, 3, 4,
    ]);
  });

  it('never shows a message twice, whatever overlaps (replays, catch-up, send responses)', () => {
    const merged = mergeMessages(
      [message(1), message(2), message(3)],
      [message(2), message(3), message(3), message(5)],
    );
    expect(seqs(merged)).toEqual([1, 2, 3, 5]);
  });

  it('puts an older page in front', () => {
    expect(seqs(mergeMessages([message(51), message(52)], [message(49), message(50)]))).toEqual([
      49, 50, 51, 52,
    ]);
  });
});

describe('threadReducer', () => {
  it('retires the pending message when its clientId comes back, from the response or the stream', () => {
    let state = threadReducer(emptyThread, {
      type: 'loaded',
      items: [message(1)],
      hasOlder: false,
    });
    state = threadReducer(state, { type: 'sending', pending: pending('c-1') });
    expect(state.pending).toHaveLength(1);
    state = threadReducer(state, { type: 'received', items: [message(2, 'c-1')] });
    expect(state.pending).toHaveLength(0);
    // The same message again (the live event after the response): still one copy.
    state = threadReducer(state, { type: 'received', items: [message(2, 'c-1')] });
    expect(seqs(state.messages)).toEqual([1, 2]);
  });

  it('marks a failed send, and a retry sends it again as the same pending message', () => {
    let state = threadReducer(emptyThread, { type: 'sending', pending: pending('c-2') });
    state = threadReducer(state, {
      type: 'failed',
      clientId: 'c-2',
      error: 'Cannot reach Parley.',
    });
    expect(state.pending[0]).toMatchObject({
      clientId: 'c-2',
      state: 'failed',
      error: 'Cannot reach Parley.',
    });
    state = threadReducer(state, { type: 'retrying', clientId: 'c-2' });
    expect(state.pending[0]?.state).toBe('sending');
    expect(state.pending[0]).not.toHaveProperty('error');
  });

  it('only moves the other side’s read position forward', () => {
    let state = threadReducer(emptyThread, { type: 'read', seq: 5 });
    state = threadReducer(state, { type: 'read', seq: 3 });
    expect(state.othersReadSeq).toBe(5);
  });
});
