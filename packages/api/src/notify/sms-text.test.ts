import { describe, expect, it } from 'vitest';
import { isOn, preferenceList } from './preferences';
import { renderSms } from './sms-text';

describe('renderSms', () => {
  it('says what the email’s subject says, with its link and how to stop, in three lines', () => {
    const text = renderSms({
      kind: 'agent_replied',
      ticket: { number: 1042, subject: 'Box arrived crushed' },
      ticketUrl: 'https://desk.example.com/tickets/t-1',
    });
    expect(text).toBe(
      [
        'Parley [#1042] New reply: Box arrived crushed',
        'Read and reply: https://desk.example.com/tickets/t-1',
        'Reply STOP to stop these texts.',
      ].join('\n'),
    );
  });

  it('cuts a long subject so the text stays short', () => {
    const text = renderSms({
      kind: 'ticket_resolved',
      ticket: { number: 7, subject: 'x'.repeat(500) },
      ticketUrl: 'https://desk.example.com/tickets/t-7',
    });
    expect(text.split('\n')[0]).toBe(`Parley [#7] Resolved: ${'x'.repeat(37)}...`);
    expect(text.length).toBeLessThanOrEqual(160);
  });
});

describe('SMS preferences', () => {
  it('are off until switched on, and only for the kinds that go by SMS', () => {
    const none = new Map<string, boolean>();
    expect(isOn(none, 'agent_replied', 'email')).toBe(true);
    expect(isOn(none, 'agent_replied', 'sms')).toBe(false);
    expect(isOn(new Map([['agent_replied/sms', true]]), 'agent_replied', 'sms')).toBe(true);
    // A stored choice for a kind that never goes by SMS does not make it go.
    expect(isOn(new Map([['ticket_created/sms', true]]), 'ticket_created', 'sms')).toBe(false);
  });

  it('are listed only when the person can get texts', () => {
    expect(preferenceList(undefined, 'customer').map((p) => p.channel)).not.toContain('sms');
    expect(
      preferenceList(undefined, 'customer', true)
        .filter((p) => p.channel === 'sms')
        .map((p) => [p.kind, p.enabled]),
    ).toEqual([
      ['agent_replied', false],
      ['ticket_resolved', false],
    ]);
  });
});
