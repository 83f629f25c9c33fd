import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../api/types';
import { ThreadStore, type ThreadApi } from './thread-store';
import { testMessage as message } from './test-message';

/** A server that is away until `up` is set, then answers from `messages`. */
function server(messages: Message[]) {
  const state = { up: false };
  const api: ThreadApi = {
    list: ({ after }) => {
      if (!state.up) return Promise.reject(new Error('fetch failed'));
      const items = messages.filter((m) => after === undefined || m.seq > after);
      return Promise.resolve({ items, hasMore: false, othersReadSeq: null });
    },
    send: () => Promise.reject(new Error('not used')),
  };
  return { api, state };
}

describe('ThreadStore', () => {
  it('loads a thread whose first load failed once the connection or the stream is back', async () => {
    const { api, state } = server([message(1), message(2)]);
    const store = new ThreadStore(api, 't');
    await store.loadNewest();
    expect(store.getSnapshot().loadError).not.toBeNull();
    expect(store.getSnapshot().messages).toEqual([]);

    state.up = true;
    await store.catchUp(); // what a reconnect or a stream start calls
    expect(store.getSnapshot().loadError).toBeNull();
    expect(store.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('leaves a first load in flight alone', async () => {
    const { api, state } = server([message(1)]);
    state.up = true;
    const store = new ThreadStore(api, 't');
    const loading = store.loadNewest();
    await store.catchUp();
    await loading;
    expect(store.getSnapshot().messages.map((m) => m.seq)).toEqual([1]);
  });

  it('keeps a loaded thread shown when the catch-up after it fails (connection lost meanwhile)', async () => {
    const { api, state } = server([message(1), message(2), message(3)]);
    state.up = true;
    const store = new ThreadStore(
      {
        ...api,
        list: async (input) => {
          const page = await api.list(input);
          // The server goes away right after answering the first load.
          if (input.after === undefined) state.up = false;
          return { ...page, items: page.items.slice(0, 2) };
        },
      },
      't',
    );
    store.streamStarted(); // the stream was ready before the first page arrived
    await store.loadNewest();
    expect(store.getSnapshot().loadError).toBeNull();
    expect(store.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2]);

    state.up = true;
    await store.catchUp();
    expect(store.getSnapshot().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('sends again by itself when the server says its database is briefly away', async () => {
    const { api, state } = server([]);
    state.up = true;
    const unavailable = new TRPCClientError('Parley is briefly unavailable.', {
      result: { error: { data: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 } } },
    });
    let attempts = 0;
    const store = new ThreadStore(
      {
        ...api,
        send: (input) => {
          attempts++;
          if (attempts === 1) return Promise.reject(unavailable);
          return Promise.resolve({ ...message(1), body: input.body, clientId: input.clientId });
        },
      },
      't',
    );
    await store.loadNewest();
    store.send('hello');
    for (let i = 0; i < 50 && store.getSnapshot().messages.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(attempts).toBe(2);
    expect(store.getSnapshot().pending).toEqual([]);
    expect(store.getSnapshot().messages.map((m) => m.body)).toEqual(['hello']);
  });
});
