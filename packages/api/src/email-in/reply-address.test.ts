import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isReplyAddress, replyAddress, ticketOfReplyAddress } from './reply-address';

describe('reply addresses', () => {
  const secret = 'a'.repeat(64);
  const ticketId = randomUUID();

  it('round-trips a ticket id, in any letter case, within 64 characters of local part', () => {
    const address = replyAddress(secret, ticketId, 'support@example.com');
    expect(address).toMatch(/^reply\+[0-9a-f]+@example\.com$/);
    expect(address.split('@')[0]?.length).toBeLessThanOrEqual(64);
    expect(isReplyAddress(address)).toBe(true);
    expect(ticketOfReplyAddress(secret, address)).toBe(ticketId);
    expect(ticketOfReplyAddress(secret, address.toUpperCase())).toBe(ticketId);
  });

  it('refuses a forged or altered address, and another key’s', () => {
    const address = replyAddress(secret, ticketId, 'support@example.com');
    const other = randomUUID().replaceAll('-', '');
    expect(ticketOfReplyAddress(secret, address.replace(/\+[0-9a-f]{32}/, `+${other}`))).toBeNull();
    expect(ticketOfReplyAddress('b'.repeat(64), address)).toBeNull();
    expect(ticketOfReplyAddress(secret, 'reply+nothing@example.com')).toBeNull();
    expect(ticketOfReplyAddress(secret, 'support@example.com')).toBeNull();
  });
});
