import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../realtime/events';
import { planNotices } from './planner';

const customerId = '00000000-0000-4000-8000-000000000001';
const agentId = '00000000-0000-4000-8000-000000000002';
const ticketId = '00000000-0000-4000-8000-0000000000aa';
const at = '2026-12-01T10:00:00.000Z';

function message(
  role: 'customer' | 'agent' | 'system',
  internal: boolean,
  audience: 'all' | 'agents' = internal ? 'agents' : 'all',
): LoggedEvent {
  return {
    cursor: 7,
    customerId,
    audience,
    event: {
      id: '7',
      ticketId,
      at,
      type: 'message.created',
      data: {
        id: '00000000-0000-4000-8000-0000000000bb',
        ticketId,
        seq: 3,
        author: {
          id: role === 'system' ? null : role === 'agent' ? agentId : customerId,
          name: 'X',
          role,
        },
        body: 'hello',
        internal,
        createdAt: at,
        clientId: null,
        attachments: [],
        metadata: null,
      },
    },
  };
}

describe('planNotices', () => {
  it('plans an agent’s public reply for the customer after the delay, with the message to re-check', () => {
    expect(planNotices(message('agent', false), { stateAssigneeId: agentId }, 120)).toEqual([
      {
        kind: 'agent_replied',
        to: { userId: customerId },
        eventId: 7,
        ticketId,
        messageSeq: 3,
        runAt: new Date(Date.parse(at) + 120_000),
      },
    ]);
  });

  it('plans nothing for an internal note, whoever wrote it, and nothing for a customer from an agents-only event', () => {
    expect(planNotices(message('agent', true), { stateAssigneeId: agentId }, 120)).toEqual([]);
    expect(planNotices(message('agent', false, 'agents'), { stateAssigneeId: null }, 0)).toEqual(
      [],
    );
    expect(planNotices(message('system', false), { stateAssigneeId: agentId }, 0)).toEqual([]);
  });

  it('tells the assignee of a customer’s reply, not a ticket nobody holds', () => {
    expect(planNotices(message('customer', false), { stateAssigneeId: agentId }, 0)).toMatchObject([
      { kind: 'customer_replied', to: { userId: agentId }, runAt: null },
    ]);
    expect(planNotices(message('customer', false), { stateAssigneeId: null }, 0)).toEqual([]);
  });

  it('plans an assignment for the new assignee and a resolution for the customer', () => {
    const updated: LoggedEvent = {
      cursor: 9,
      customerId,
      audience: 'all',
      event: {
        id: '9',
        ticketId,
        at,
        type: 'ticket.updated',
        data: { assignee: { id: agentId, name: 'Dana' }, status: 'resolved', updatedAt: at },
      },
    };
    expect(planNotices(updated, { stateAssigneeId: agentId }, 0).map((n) => n.kind)).toEqual([
      'ticket_assigned',
      'ticket_resolved',
    ]);
  });
});
