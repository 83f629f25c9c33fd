import { describe, expect, it } from 'vitest';
import { notSentText } from './not-sent';

describe('notSentText', () => {
  it('ends with one full stop whether or not the reason has one', () => {
    expect(notSentText('Cannot reach Parley. Check your connection and try again.')).toBe(
      'Not sent — Cannot reach Parley. Check your connection and try again.',
    );
    expect(notSentText('Too many attempts. Try again shortly!')).toBe(
      'Not sent — Too many attempts. Try again shortly!',
    );
    expect(notSentText('The ticket is closed')).toBe('Not sent — The ticket is closed.');
    expect(notSentText(undefined)).toBe('Not sent.');
    expect(notSentText('  ')).toBe('Not sent.');
  });
});
