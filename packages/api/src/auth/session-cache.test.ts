import { describe, expect, it } from 'vitest';
import { hashToken } from './hashed-adapter';
import { SessionCache } from './session-cache';

const token = 'a'.repeat(40);
const other = 'b'.repeat(40);
const value = (userId: string, expiresAt = 1_000_000) => ({
  session: { expiresAt: new Date(expiresAt) },
  user: { id: userId },
});

function cache(ttlMs = 5000) {
  let clock = 0;
  const sessions = new SessionCache<ReturnType<typeof value>>({
    ttlMs,
    maxEntries: 3,
    now: () => clock,
  });
  sessions.setTrusted(true);
  return { sessions, advance: (ms: number) => (clock += ms) };
}

describe('SessionCache', () => {
  it('keeps a checked session for its time to live, and never past the session expiry', () => {
    const { sessions, advance } = cache();
    sessions.put(token, value('u1', 7000), sessions.ticket());
    expect(sessions.get(token)?.user.id).toBe('u1');
    advance(4999);
    expect(sessions.get(token)).not.toBeNull();
    advance(1);
    expect(sessions.get(token)).toBeNull();

    sessions.put(token, value('u1', 7000), sessions.ticket()); // stored at 5000
    advance(2000);
    expect(sessions.get(token)).toBeNull(); // the session itself expired at 7000
  });

  it('trusts nothing while the LISTEN connection is down, and starts empty after', () => {
    const { sessions } = cache();
    sessions.put(token, value('u1'), sessions.ticket());
    sessions.setTrusted(false);
    expect(sessions.get(token)).toBeNull();
    sessions.put(token, value('u1'), sessions.ticket());
    expect(sessions.size).toBe(0);
    sessions.setTrusted(true);
    expect(sessions.get(token)).toBeNull();
  });

  it('drops a session named by its hash, and every session of a user', () => {
    const { sessions } = cache();
    sessions.put(token, value('u1'), sessions.ticket());
    sessions.put(other, value('u1'), sessions.ticket());
    sessions.ended(JSON.stringify({ session: hashToken(token) }));
    expect(sessions.get(token)).toBeNull();
    expect(sessions.get(other)).not.toBeNull();
    sessions.ended(JSON.stringify({ user: 'u1' }));
    expect(sessions.get(other)).toBeNull();
  });

  it('empties itself on a notice it cannot read', () => {
    const { sessions } = cache();
    sessions.put(token, value('u1'), sessions.ticket());
    sessions.ended('not json');
    expect(sessions.size).toBe(0);
  });

  it('does not store a check that began before a notice or a trust change', () => {
    const { sessions } = cache();
    const beforeNotice = sessions.ticket();
    sessions.ended(JSON.stringify({ user: 'someone else' }));
    sessions.put(token, value('u1'), beforeNotice);
    expect(sessions.get(token)).toBeNull();

    const beforeOutage = sessions.ticket();
    sessions.setTrusted(false);
    sessions.setTrusted(true);
    sessions.put(token, value('u1'), beforeOutage);
    expect(sessions.get(token)).toBeNull();
  });

  it('holds at most maxEntries sessions, dropping the oldest', () => {
    const { sessions } = cache();
    for (const t of ['c', 'd', 'e', 'f'].map((ch) => ch.repeat(40))) {
      sessions.put(t, value(t), sessions.ticket());
    }
    expect(sessions.size).toBe(3);
    expect(sessions.get('c'.repeat(40))).toBeNull();
    expect(sessions.get('f'.repeat(40))).not.toBeNull();
  });

  it('is off with a time to live of 0', () => {
    const { sessions } = cache(0);
    sessions.put(token, value('u1'), sessions.ticket());
    expect(sessions.get(token)).toBeNull();
  });
});
