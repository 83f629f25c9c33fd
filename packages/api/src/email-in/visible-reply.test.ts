import { describe, expect, it } from 'vitest';
import { visibleReply } from './visible-reply';

describe('visibleReply', () => {
  it('keeps a mail without history or signature as it is (trimmed)', () => {
    expect(visibleReply('\nHello,\n\nmy order #123 has not arrived.\n\nThanks\n')).toBe(
      'Hello,\n\nmy order #123 has not arrived.\n\nThanks',
    );
  });

  it('cuts at "On … wrote:" and the quote under it', () => {
    const mail = [
      'Thanks, that worked!',
      '',
      'On Tue, 1 Dec 2026 at 10:00, Parley <support@example.com> wrote:',
      '> Your parcel ships tomorrow.',
      '>',
      '> Ticket #12',
    ].join('\r\n');
    expect(visibleReply(mail)).toBe('Thanks, that worked!');
  });

  it('cuts at an attribution wrapped over two lines', () => {
    const mail =
      'Yes please.\n\nOn Tue, 1 Dec 2026 at 10:00, Dana Scully\n<dana@example.com> wrote:\n> old';
    expect(visibleReply(mail)).toBe('Yes please.');
  });

  it('cuts at German and French attributions', () => {
    expect(visibleReply('Danke!\n\nAm 01.12.2026 um 10:00 schrieb Parley <s@x.de>:\n> alt')).toBe(
      'Danke!',
    );
    expect(
      visibleReply('Merci\n\nLe mar. 1 déc. 2026 à 10:00, Parley <s@x.fr> a écrit :\n> x'),
    ).toBe('Merci');
  });

  it('cuts Outlook’s header block and the underscores above it', () => {
    const mail = [
      'See the attached invoice.',
      '',
      '________________________________',
      'From: Parley <support@example.com>',
      'Sent: Tuesday, December 1, 2026 10:00 AM',
      'To: Alice <alice@example.com>',
      'Subject: Re: [#12] Parcel',
      '',
      'Your parcel ships tomorrow.',
    ].join('\n');
    expect(visibleReply(mail)).toBe('See the attached invoice.');
  });

  it('cuts at -----Original Message-----', () => {
    expect(visibleReply('ok\n\n-----Original Message-----\nFrom: x\nold text')).toBe('ok');
  });

  it('removes the signature below "-- " and "Sent from my iPhone"', () => {
    expect(visibleReply('Thanks\n\n-- \nAlice Example\nACME Corp\n+1 555 0100')).toBe('Thanks');
    expect(visibleReply('Thanks\n\nSent from my iPhone\n')).toBe('Thanks');
    expect(visibleReply('Thanks\n\nGet Outlook for Android')).toBe('Thanks');
  });

  it('removes a signature above the quoted history too', () => {
    const mail = 'Got it.\n--\nAlice\n\nOn Mon, Dana wrote:\n> question';
    expect(visibleReply(mail)).toBe('Got it.');
  });

  it('keeps inline answers between quotes, drops only the trailing quote', () => {
    const mail = '> Which size?\nLarge.\n> Which colour?\nBlue.\n\n> Thanks, Dana';
    expect(visibleReply(mail)).toBe('> Which size?\nLarge.\n> Which colour?\nBlue.');
  });

  it('does not mistake a sentence starting with "On" or "From:" in the text for history', () => {
    const mail = 'On Monday the parcel was late.\nFrom: the depot, it seems.\nPlease check.';
    expect(visibleReply(mail)).toBe(mail);
  });

  it('gives an empty text for a mail that is all quote', () => {
    expect(visibleReply('On Mon, Dana wrote:\n> question')).toBe('');
  });
});
