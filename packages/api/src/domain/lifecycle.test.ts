import { describe, expect, it } from 'vitest';
import {
  afterReply,
  autoCloseCutoff,
  customerMayReply,
  mayClose,
  mayRate,
  mayReopen,
  moveTo,
  type LifecycleTicket,
} from './lifecycle';

const now = new Date('2026-03-01T12:00:00Z');
const earlier = new Date('2026-02-20T09:00:00Z');

function ticket(fields: Partial<LifecycleTicket> = {}): LifecycleTicket {
  return {
    status: 'open',
    assigneeId: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    ...fields,
  };
}

describe('moveTo', () => {
  it('stamps resolvedAt when resolving and clears closedAt', () => {
    expect(moveTo(ticket({ status: 'closed', closedAt: earlier }), 'resolved', now)).toEqual({
      status: 'resolved',
      resolvedAt: now,
      closedAt: null,
    });
  });

  it('stamps closedAt when closing and keeps an earlier resolvedAt', () => {
    expect(moveTo(ticket({ status: 'resolved', resolvedAt: earlier }), 'closed', now)).toEqual({
      status: 'closed',
      closedAt: now,
      resolvedAt: earlier,
    });
  });

  it('counts a ticket closed without being resolved as resolved when closed', () => {
    expect(moveTo(ticket({ status: 'open' }), 'closed', now)).toEqual({
      status: 'closed',
      closedAt: now,
      resolvedAt: now,
    });
  });

  it('clears both stamps when the ticket becomes active again', () => {
    expect(
      moveTo(ticket({ status: 'closed', resolvedAt: earlier, closedAt: earlier }), 'open', now),
    ).toEqual({
      status: 'open',
      resolvedAt: null,
      closedAt: null,
    });
  });

  it('changes nothing when the status stays', () => {
    expect(moveTo(ticket({ status: 'resolved', resolvedAt: earlier }), 'resolved', now)).toEqual(
      {},
    );
  });
});

describe('afterReply', () => {
  it("stamps firstResponseAt on an agent's first public reply and waits on the customer", () => {
    expect(afterReply(ticket(), { by: 'agent', internal: false }, now)).toEqual({
      firstResponseAt: now,
      status: 'waiting_customer',
      resolvedAt: null,
      closedAt: null,
    });
  });

  it('keeps the first firstResponseAt on later replies', () => {
    const fields = afterReply(
      ticket({ status: 'in_progress', firstResponseAt: earlier }),
      { by: 'agent', internal: false },
      now,
    );
    expect(fields).not.toHaveProperty('firstResponseAt');
    expect(fields.status).toBe('waiting_customer');
  });

  it('lets the agent pick another status than waiting on the customer', () => {
    expect(afterReply(ticket(), { by: 'agent', internal: false, status: 'resolved' }, now)).toEqual(
      {
        firstResponseAt: now,
        status: 'resolved',
        resolvedAt: now,
        closedAt: null,
      },
    );
  });

  it('changes nothing for an internal note, unless the agent picks a status', () => {
    expect(afterReply(ticket(), { by: 'agent', internal: true }, now)).toEqual({});
    expect(
      afterReply(ticket(), { by: 'agent', internal: true, status: 'in_progress' }, now),
    ).toMatchObject({
      status: 'in_progress',
    });
  });

  it('does not move a waiting or resolved ticket on an agent reply', () => {
    expect(
      afterReply(
        ticket({ status: 'waiting_customer', firstResponseAt: earlier }),
        { by: 'agent', internal: false },
        now,
      ),
    ).toEqual({});
    expect(
      afterReply(
        ticket({ status: 'resolved', firstResponseAt: earlier, resolvedAt: earlier }),
        { by: 'agent', internal: false },
        now,
      ),
    ).toEqual({});
  });

  it('sends a waiting or resolved ticket back to open on a customer reply', () => {
    for (const status of ['waiting_customer', 'resolved'] as const) {
      expect(afterReply(ticket({ status, resolvedAt: earlier }), { by: 'customer' }, now)).toEqual({
        status: 'open',
        resolvedAt: null,
        closedAt: null,
      });
    }
  });

  it('sends it to in progress instead when someone is assigned', () => {
    expect(
      afterReply(
        ticket({ status: 'waiting_customer', assigneeId: 'agent-1' }),
        { by: 'customer' },
        now,
      ),
    ).toMatchObject({
      status: 'in_progress',
    });
  });

  it('leaves open and in-progress tickets alone on a customer reply', () => {
    expect(afterReply(ticket({ status: 'open' }), { by: 'customer' }, now)).toEqual({});
    expect(afterReply(ticket({ status: 'in_progress' }), { by: 'customer' }, now)).toEqual({});
  });
});

describe('guards', () => {
  it('lets customers reply until the ticket is closed', () => {
    expect(customerMayReply('resolved')).toBe(true);
    expect(customerMayReply('closed')).toBe(false);
  });

  it('reopens, rates and closes only from the right statuses', () => {
    expect(
      ['open', 'in_progress', 'waiting_customer', 'resolved', 'closed'].filter((s) =>
        mayReopen(s as never),
      ),
    ).toEqual(['resolved', 'closed']);
    expect(mayRate('resolved') && mayRate('closed') && !mayRate('open')).toBe(true);
    expect(mayClose('closed')).toBe(false);
    expect(mayClose('waiting_customer')).toBe(true);
  });

  it('puts the auto-close cutoff the given number of days back', () => {
    expect(autoCloseCutoff(now, 7).toISOString()).toBe('2026-02-22T12:00:00.000Z');
  });
});
