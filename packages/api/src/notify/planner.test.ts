import { systemAuthorName, systemText } from '@parley/contract';
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
  line: { body: string; authorId: string | null } = { body: 'hello', authorId: null },
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
          id: role === 'system' ? line.authorId : role === 'agent' ? agentId : customerId,
          name: 'X',
          role,
        },
        body: line.body,
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

  it('tells the customer of a close made by the auto-close job, and of no close made by a person', () => {
    const byParley = { body: systemText.status('closed', systemAuthorName), authorId: null };
    expect(
      planNotices(message('system', false, 'all', byParley), { stateAssigneeId: agentId }, 0),
    ).toEqual([
      {
        kind: 'ticket_auto_closed',
        to: { userId: customerId },
        eventId: 7,
        ticketId,
        messageSeq: null,
        runAt: null,
      },
    ]);
    // The same line from an agents-only event is not the customer's to hear about.
    expect(
      planNotices(message('system', false, 'agents', byParley), { stateAssigneeId: null }, 0),
    ).toEqual([]);
    // A close by the customer or an agent: the line names them, and is theirs.
    for (const [authorId, name] of [
      [customerId, 'Cara'],
      [agentId, 'Dana'],
    ] as const) {
      const byPerson = { body: systemText.status('closed', name), authorId };
      expect(
        planNotices(message('system', false, 'all', byPerson), { stateAssigneeId: null }, 0),
      ).toEqual([]);
    }
    // Someone named "Parley" closing by hand is still a person (the author has an id).
    const namedParley = { body: byParley.body, authorId: agentId };
    expect(
      planNotices(message('system', false, 'all', namedParley), { stateAssigneeId: null }, 0),
    ).toEqual([]);
    // A close's `ticket.updated` names nobody: it plans nothing by itself.
    const closed: LoggedEvent = {
      cursor: 8,
      customerId,
      audience: 'all',
      event: {
        id: '8',
        ticketId,
        at,
        type: 'ticket.updated',
        data: { status: 'closed', updatedAt: at },
      },
    };
    expect(planNotices(closed, { stateAssigneeId: null }, 0)).toEqual([]);
  });
});
