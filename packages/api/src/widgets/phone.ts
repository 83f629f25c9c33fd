import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number as E.164 (`+442079460958`), or an error in words for the form. The
 * number must carry its country code: the widget does not guess a country.
 */
export function toE164(input: string): { e164: string } | { error: string } {
  const trimmed = input.trim();
  if (!trimmed.startsWith('+')) {
    return { error: 'Start with + and the country code, like +44 20 7946 0958' };
  }
  const parsed = parsePhoneNumberFromString(trimmed);
  if (!parsed || !parsed.isValid()) return { error: 'Enter a valid phone number' };
  return { e164: parsed.number };
}
