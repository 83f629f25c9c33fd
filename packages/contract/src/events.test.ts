import { describe, expect, it } from 'vitest';
import { encodeEventPayload, eventPayloadVersion, parseEvent, type RawEvent } from './events';

const message = {
  id: '0b9b7f0e-5c1a-4d8e-9a51-3f1f2b6f4a10',
  ticketId: '5f0c2c4e-8d7b-4a43-b1d2-9d8e7f6a5b4c',
  seq: 3,
  author: { id: null, name: 'Parley', role: 'system' as const },
  body: 'Status changed to Resolved',
  internal: false,
  createdAt: '2026-11-30T10:15:00.000Z',
  clientId: null,
  attachments: [],
  metadata: null,
};

const row = (type: string, payload: unknown, version: number = eventPayloadVersion): RawEvent => ({
  id: '42',
  ticketId: message.ticketId,
  type,
  at: '2026-11-30T10:15:00.010Z',
  version,
  payload,
});

describe('event payloads', () => {
  it('are stored in the current version and read back as the same event', () => {
    const { payload, version } = encodeEventPayload('message.created', message);
    expect(version).toBe(eventPayloadVersion);
    expect(payload).toEqual(message);
    expect(parseEvent(row('message.created', payload, version))).toEqual({
      ok: true,
      event: {
        id: '42',
        ticketId: message.ticketId,
        type: 'message.created',
        at: '2026-11-30T10:15:00.010Z',
        v: eventPayloadVersion,
        data: message,
      },
    });
  });

  it('read a message logged before messages carried files as one without files', () => {
    const { attachments: _none, ...before } = message;
    const parsed = parseEvent(row('message.created', before, 1));
    expect(
      parsed.ok && parsed.event.type === 'message.created' && parsed.event.data.attachments,
    ).toEqual([]);
  });

  it('read a message logged before messages carried metadata as one without', () => {
    const { metadata: _none, ...before } = message;
    const parsed = parseEvent(row('message.created', before, 1));
    expect(parsed.ok && parsed.event.type === 'message.created' && parsed.event.data.metadata).toBe(
      null,
    );
  });

  it("carry a bot message's chips and article", () => {
    const metadata = {
      suggestions: ['Talk to a person'],
      articleId: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
    };
    const { payload } = encodeEventPayload('message.created', { ...message, metadata });
    expect(payload.metadata).toEqual(metadata);
  });

  it('carry the files of a message, with their optional sizes only when known', () => {
    const file = {
      id: '7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a',
      name: 'box.jpg',
      size: 1234,
      contentType: 'image/jpeg',
      width: 800,
      height: 600,
      url: '/files/7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a/box.jpg',
      thumbnailUrl: '/files/7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a/box.jpg?thumbnail',
    };
    const pdf = {
      id: file.id,
      name: 'a.pdf',
      size: 1,
      contentType: 'application/pdf',
      url: '/files/x/a.pdf',
    };
    const { payload } = encodeEventPayload('message.created', {
      ...message,
      attachments: [file, pdf],
    });
    expect(payload.attachments).toEqual([file, pdf]);
  });

  it('keep only the fields of the contract, on write and on read', () => {
    const extended = { ...message, attachments: [], authorEmail: 'someone@example.com' };
    expect(encodeEventPayload('message.created', extended).payload).toEqual(message);
    const read = parseEvent(row('message.created', extended));
    expect(read.ok && read.event.data).toEqual(message);
  });

  it('refuse to write a payload that does not match its schema', () => {
    expect(() => encodeEventPayload('ticket.rated', { score: 9 })).toThrow();
  });

  it.each([
    ['a wrong field type', row('message.created', { ...message, seq: '3' }), /seq/],
    ['a missing field', row('ticket.updated', { status: 'open' }), /updatedAt/],
    [
      'a value outside its enum',
      row('ticket.updated', { status: 'lost', updatedAt: message.createdAt }),
      /status/,
    ],
    ['an unknown type', row('ticket.exploded', {}), /unknown event type "ticket.exploded"/],
    ['an inherited name as type', row('toString', {}), /unknown event type/],
    ['an unknown version', row('ticket.rated', { score: 4 }, 2), /unknown payload version 2/],
    ['a payload that is not an object', row('ticket.rated', 'score: 4'), /object/],
  ])('are refused with a reason for %s', (_, raw, reason) => {
    const read = parseEvent(raw);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toMatch(reason);
  });
});
