import { describe, expect, it } from 'vitest';
import { twilioConsent } from './consent';

describe("Twilio's consent keywords", () => {
  it.each([
    'STOP',
    'stop',
    ' Stop \n',
    'STOPALL',
    'STOP ALL',
    'stop  all',
    'UNSUBSCRIBE',
    'CANCEL',
    'END',
    'QUIT',
    'OPTOUT',
    'revoke',
  ])('%j opts out', (text) => {
    expect(twilioConsent(text)).toBe('opt-out');
  });

  it.each(['START', 'yes', ' Unstop '])('%j opts in', (text) => {
    expect(twilioConsent(text)).toBe('opt-in');
  });

  it.each([
    'STOP PLEASE',
    'please stop',
    'stop.',
    'STOPP',
    'HELP',
    'INFO',
    'YES PLEASE',
    '',
    'I want to cancel my order',
  ])('%j is not a keyword', (text) => {
    expect(twilioConsent(text)).toBeNull();
  });
});
