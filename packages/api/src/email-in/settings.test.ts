import { describe, expect, it } from 'vitest';
import { emailInSettingsFromEnv } from './settings';

const defaults = { host: '0.0.0.0', maxBytes: 25 * 1024 * 1024 };

describe('emailInSettingsFromEnv', () => {
  it('is off without PARLEY_SMTP_IN_PORT', () => {
    expect(emailInSettingsFromEnv(defaults, {})).toBeNull();
    expect(emailInSettingsFromEnv(defaults, { PARLEY_SMTP_IN_PORT: '' })).toBeNull();
  });

  it('reads the port and the support address (lower-cased)', () => {
    const env = { PARLEY_SMTP_IN_PORT: '2525', PARLEY_SUPPORT_ADDRESS: ' Support@Example.com ' };
    expect(emailInSettingsFromEnv(defaults, env)).toEqual({
      port: 2525,
      host: '0.0.0.0',
      supportAddress: 'support@example.com',
      maxBytes: defaults.maxBytes,
      maxClients: 20,
    });
  });

  it('refuses a bad port or a missing support address by name', () => {
    expect(() => emailInSettingsFromEnv(defaults, { PARLEY_SMTP_IN_PORT: 'smtp' })).toThrow(
      /PARLEY_SMTP_IN_PORT/,
    );
    expect(() => emailInSettingsFromEnv(defaults, { PARLEY_SMTP_IN_PORT: '2525' })).toThrow(
      /PARLEY_SUPPORT_ADDRESS/,
    );
  });
});
