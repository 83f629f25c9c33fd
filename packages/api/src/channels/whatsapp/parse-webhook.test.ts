import { describe, expect, it } from 'vitest';
import { statusWebhookBody, whatsappWebhookBody } from '../testing/fake-whatsapp-cloud';
import { parseWhatsAppWebhook } from './parse-webhook';

const ours = '106540352242922';
const parse = (body: unknown) =>
  parseWhatsAppWebhook(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)), {
    phoneNumberId: ours,
  });
const at = new Date('2026-06-08T20:59:43Z');

type Payload = {
  object: string;
  entry: {
    changes: {
      value: { contacts: Record<string, unknown>[]; messages: Record<string, unknown>[] };
    }[];
  }[];
  [field: string]: unknown;
};
const decode = (body: string) => JSON.parse(body) as Payload;

describe('parseWhatsAppWebhook: messages', () => {
  it('reads a text with the contact, E.164 sender, id and unix-seconds time', () => {
    const body = whatsappWebhookBody({
      from: '16505551234',
      name: 'Sheena Nelson',
      id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      timestamp: at,
      text: 'Does it come in another color?',
    });
    expect(parse(body)).toEqual([
      {
        kind: 'message',
        providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        from: '+16505551234',
        profileName: 'Sheena Nelson',
        text: 'Does it come in another color?',
        media: [],
        at,
      },
    ]);
  });

  it('has no profile name when the contact is missing', () => {
    const [item] = parse(whatsappWebhookBody({ from: '447700900000', text: 'hi' }));
    expect(item).toMatchObject({ from: '+447700900000', profileName: null });
  });

  it.each(['image', 'video', 'audio', 'sticker'] as const)(
    'reads a %s as media with its caption as text',
    (kind) => {
      const [item] = parse(
        whatsappWebhookBody({
          from: '16505551234',
          name: 'S',
          media: { kind, id: '1003383421387256', mimeType: `${kind}/x-test`, caption: `a ${kind}` },
        }),
      );
      expect(item).toMatchObject({
        kind: 'message',
        text: `a ${kind}`,
        media: [{ ref: '1003383421387256', contentType: `${kind}/x-test`, fileName: null }],
      });
    },
  );

  it('reads a document with its file name, and a file alone as text ""', () => {
    const [item] = parse(
      whatsappWebhookBody({
        from: '16505551234',
        media: { kind: 'document', id: '42', mimeType: 'application/pdf', filename: 'invoice.pdf' },
      }),
    );
    expect(item).toMatchObject({
      text: '',
      media: [{ ref: '42', contentType: 'application/pdf', fileName: 'invoice.pdf' }],
    });
  });

  it("reads a tapped reply button or list row as its id (Parley's full chip text)", () => {
    const chip = 'Talk to a person about my order';
    const [button] = parse(
      whatsappWebhookBody({ from: '1650555', button: { id: chip, title: 'Talk to a person …' } }),
    );
    const [row] = parse(
      whatsappWebhookBody({ from: '1650555', listReply: { id: 'billing', title: 'Billing' } }),
    );
    expect(button).toMatchObject({ text: chip });
    expect(row).toMatchObject({ text: 'billing' });
  });

  it('falls back to the title when a reply id is empty', () => {
    const [button] = parse(
      whatsappWebhookBody({ from: '1650555', button: { id: '', title: 'Yes' } }),
    );
    expect(button).toMatchObject({ text: 'Yes' });
  });

  it("reads a template's quick-reply button as its text", () => {
    const [item] = parse(
      whatsappWebhookBody({
        from: '1650555',
        quickReply: { text: 'Stop promotions', payload: 'STOP' },
      }),
    );
    expect(item).toMatchObject({ text: 'Stop promotions' });
  });

  it('skips types it does not handle (location, reaction, unsupported) and keeps the rest', () => {
    const body = decode(whatsappWebhookBody({ from: '16505551234', name: 'S', text: 'kept' }));
    const messages = body.entry[0]!.changes[0]!.value.messages;
    const common = { from: '16505551234', timestamp: '1749416383' };
    messages.unshift(
      { ...common, id: 'wamid.loc', type: 'location', location: { latitude: 1, longitude: 2 } },
      {
        ...common,
        id: 'wamid.react',
        type: 'reaction',
        reaction: { message_id: 'wamid.x', emoji: '👍' },
      },
      {
        ...common,
        id: 'wamid.uns',
        type: 'unsupported',
        errors: [{ code: 131051, title: 'Message type unknown' }],
      },
    );
    expect(parse(body).map((item) => item.kind === 'message' && item.text)).toEqual(['kept']);
  });

  it('reads every message and status of a batch: several entries, changes and messages', () => {
    const one = decode(
      whatsappWebhookBody({ from: '111111', name: 'One', id: 'wamid.1', text: 'first' }),
    );
    const two = decode(
      whatsappWebhookBody({ from: '222222', name: 'Two', id: 'wamid.2', text: 'second' }),
    );
    const three = decode(
      statusWebhookBody({ id: 'wamid.ours', status: 'read', recipient: '111111' }),
    );
    const value2 = two.entry[0]!.changes[0]!.value;
    // Meta batches: two messages from two contacts in one change, and a second entry.
    value2.contacts.push({ profile: { name: 'Three' }, wa_id: '333333' });
    value2.messages.push({
      from: '333333',
      id: 'wamid.3',
      timestamp: '1749416383',
      type: 'text',
      text: { body: 'third' },
    });
    const batch = {
      object: 'whatsapp_business_account',
      entry: [{ changes: [...one.entry[0]!.changes, ...two.entry[0]!.changes] }, three.entry[0]],
    };
    const items = parse(batch);
    expect(items.map((item) => [item.kind, item.providerMessageId])).toEqual([
      ['message', 'wamid.1'],
      ['message', 'wamid.2'],
      ['message', 'wamid.3'],
      ['status', 'wamid.ours'],
    ]);
    expect(items.map((item) => item.kind === 'message' && item.profileName)).toEqual([
      'One',
      'Two',
      'Three',
      false,
    ]);
  });

  it('skips changes for another phone number of the business account', () => {
    const body = whatsappWebhookBody({
      from: '16505551234',
      text: 'to another number',
      phoneNumberId: '999',
    });
    expect(parse(body)).toEqual([]);
    expect(parseWhatsAppWebhook(Buffer.from(body))).toHaveLength(1); // no number configured: kept
  });

  it('ignores unknown fields anywhere', () => {
    const body = decode(whatsappWebhookBody({ from: '16505551234', name: 'S', text: 'hi' }));
    const value = body.entry[0]!.changes[0]!.value;
    body.surprise = { deep: [1] };
    value.messages[0]!.context = { from: '1555', id: 'wamid.prev', forwarded: true };
    value.contacts[0]!.identity_key_hash = 'abc';
    expect(parse(body)).toHaveLength(1);
  });
});

describe('parseWhatsAppWebhook: statuses', () => {
  it.each(['sent', 'delivered', 'read'] as const)('reads %s', (status) => {
    expect(
      parse(
        statusWebhookBody({ id: 'wamid.ours', status, recipient: '+16505551234', timestamp: at }),
      ),
    ).toEqual([{ kind: 'status', providerMessageId: 'wamid.ours', status, error: null, at }]);
  });

  it('reads failed with the error in words', () => {
    const [item] = parse(
      statusWebhookBody({
        id: 'wamid.ours',
        status: 'failed',
        recipient: '16505551234',
        error: {
          code: 131047,
          title: 'Re-engagement message',
          message: 'Re-engagement message',
          details:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
      }),
    );
    expect(item).toMatchObject({ status: 'failed' });
    expect(item?.kind === 'status' && item.error).toBe(
      'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number. (131047)',
    );
  });

  it('ignores statuses Parley does not track (deleted, played, warning)', () => {
    for (const status of ['deleted', 'played', 'warning']) {
      expect(parse(statusWebhookBody({ id: 'wamid.ours', status, recipient: '1650555' }))).toEqual(
        [],
      );
    }
  });
});

describe('parseWhatsAppWebhook: junk', () => {
  it.each([
    ['not JSON', 'hello'],
    ['empty', ''],
    ['null', 'null'],
    ['an array', '[]'],
    ['another object', JSON.stringify({ object: 'page', entry: [] })],
    ['entry not an array', JSON.stringify({ object: 'whatsapp_business_account', entry: {} })],
    [
      'changes junk',
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [null, 1, { changes: [null, { value: 3 }] }],
      }),
    ],
    [
      'a message missing its id, a bad timestamp, an empty text',
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            changes: [
              {
                field: 'messages',
                value: {
                  messages: [
                    { from: '1650555', timestamp: '1', type: 'text', text: { body: 'x' } },
                    {
                      from: '1650555',
                      id: 'w1',
                      timestamp: 'yesterday',
                      type: 'text',
                      text: { body: 'x' },
                    },
                    { from: '1650555', id: 'w2', timestamp: '1', type: 'text' },
                    { from: 'abc', id: 'w3', timestamp: '1', type: 'text', text: { body: 'x' } },
                  ],
                  statuses: [{ id: 'w4', status: 'read' }],
                },
              },
            ],
          },
        ],
      }),
    ],
    [
      'another webhook field',
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            changes: [
              {
                field: 'message_template_status_update',
                value: { event: 'APPROVED', messages: [] },
              },
            ],
          },
        ],
      }),
    ],
  ])('gives [] and does not throw for %s', (_name, body) => {
    expect(parse(body)).toEqual([]);
  });
});
