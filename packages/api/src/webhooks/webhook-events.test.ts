import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../realtime/events';
import { endpointWants } from './webhook-events';

const ticketId = '00000000-0000-4000-8000-000000000001';
const at = new Date(0).toISOString();
const agentsOnly = (event: LoggedEvent['event']): LoggedEvent => ({
  cursor: 1,
  customerId: ticketId,
  audience: 'agents',
  event,
});

describe('which endpoints receive an event', () => {
  it('sends an agent-only read receipt only to endpoints that asked for internal notes', () => {
    const read = agentsOnly({
      id: '1',
      ticketId,
      at,
      type: 'message.read',
      data: { userId: ticketId, role: 'agent', seq: 3 },
    });
    expect(endpointWants(['message.read'], read)).toBe(false);
    expect(endpointWants(['message.read', 'note.created'], read)).toBe(true);
  });

  it('sends WhatsApp/SMS delivery statuses to every endpoint subscribed to them', () => {
    const delivery = agentsOnly({
      id: '2',
      ticketId,
      at,
      type: 'message.delivery',
      data: { messageId: ticketId, seq: 2, channel: 'whatsapp', status: 'read', error: null },
    });
    expect(endpointWants(['message.delivery'], delivery)).toBe(true);
    expect(endpointWants(['message.created'], delivery)).toBe(false);
  });
});
