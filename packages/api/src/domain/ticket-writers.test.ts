import { describe, expect, it } from 'vitest';
import { asTicketWriter } from './ticket-writers';

describe('asTicketWriter', () => {
  it('says a write is alone only while no other write of the same ticket is in flight', async () => {
    let release = () => {};
    const first = asTicketWriter('t1', async (alone) => {
      await new Promise<void>((resolve) => (release = resolve));
      return alone;
    });
    const second = await asTicketWriter('t1', async (alone) => alone);
    const otherTicket = await asTicketWriter('t2', async (alone) => alone);
    release();
    expect(await first).toBe(true);
    expect(second).toBe(false);
    expect(otherTicket).toBe(true);
    // Counted down again, also after a failure.
    await expect(asTicketWriter('t1', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await asTicketWriter('t1', async (alone) => alone)).toBe(true);
  });
});
