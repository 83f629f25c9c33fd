import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../secrets';
import { noChannelSettings } from './channels';
import {
  applySavedSettings,
  conversationsForm,
  conversationsToStore,
  emailToStore,
  SettingsFormError,
  smsToStore,
  whatsappToStore,
} from './saved-settings';

const box = createSecretBox(randomBytes(32));
const base = {
  ...noChannelSettings('https://support.example.com'),
  apiUrls: { whatsapp: 'http://127.0.0.1:1/graph', sms: 'http://127.0.0.1:2/twilio' },
};
const form = {
  phoneNumberId: '106540352242922',
  accessToken: 'EAAG-token',
  appSecret: 'app-secret',
  verifyToken: 'verify-me',
  templates: [{ name: 'follow_up', language: 'en_US', body: 'Hello {{1}}' }],
};

describe('saved channel settings', () => {
  it('stores secrets sealed, and puts them over the environment with its API base', () => {
    const stored = whatsappToStore(form, null, box);
    const text = JSON.stringify(stored);
    for (const secret of ['EAAG-token', 'app-secret', 'verify-me'])
      expect(text).not.toContain(secret);
    const applied = applySavedSettings(base, [{ channel: 'whatsapp', settings: stored }], box);
    expect(applied.settings.whatsapp).toEqual({
      apiUrl: 'http://127.0.0.1:1/graph',
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-token',
      appSecret: 'app-secret',
      verifyToken: 'verify-me',
      templates: form.templates,
    });
    expect(applied.sources).toEqual({
      whatsapp: 'saved',
      sms: null,
      conversations: 'environment',
      email: 'environment',
    });
    expect(applied.problems).toEqual({});
  });

  it('keeps the secret in use when the form leaves it empty, and asks for one when none is', () => {
    const inUse = applySavedSettings(
      base,
      [{ channel: 'whatsapp', settings: whatsappToStore(form, null, box) }],
      box,
    ).settings.whatsapp;
    const kept = whatsappToStore(
      { ...form, accessToken: '', appSecret: undefined, verifyToken: 'new-verify' },
      inUse,
      box,
    );
    expect(box.open(kept.accessToken)).toBe('EAAG-token');
    expect(box.open(kept.appSecret)).toBe('app-secret');
    expect(box.open(kept.verifyToken)).toBe('new-verify');
    expect(() => whatsappToStore({ ...form, appSecret: '' }, null, box)).toThrow(
      'Enter the app secret',
    );
    // Every missing secret at once, each on its field.
    const missing = (() => {
      try {
        whatsappToStore({ ...form, accessToken: '', verifyToken: undefined }, null, box);
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(SettingsFormError);
    expect((missing as SettingsFormError).fields).toEqual({
      accessToken: 'Enter the access token',
      verifyToken: 'Enter the verify token',
    });
  });

  it('moves a channel from the environment into saved settings without typing its secret again', () => {
    const fromEnv = {
      apiUrl: 'x',
      accountSid: `AC${'c3'.repeat(16)}`,
      authToken: 'env-token',
      from: '+1',
    };
    const stored = smsToStore(
      { accountSid: fromEnv.accountSid, authToken: '', from: '+14155550100' },
      fromEnv,
      box,
    );
    expect(JSON.stringify(stored)).not.toContain('env-token');
    expect(box.open(stored.authToken)).toBe('env-token');
  });

  it('writes an SMS sender as E.164 and refuses one that is neither a number nor a service', () => {
    const sms = { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'tok', from: '+1 (415) 555-0100' };
    expect(smsToStore(sms, null, box).from).toBe('+14155550100');
    const service = `MG${'b2'.repeat(16)}`;
    expect(smsToStore({ ...sms, from: service }, null, box).from).toBe(service);
    expect(() => smsToStore({ ...sms, from: 'my shop' }, null, box)).toThrow(SettingsFormError);
  });

  it('turns a channel off, saying why, when its saved secrets cannot be opened', () => {
    const stored = smsToStore(
      { accountSid: `AC${'a1'.repeat(16)}`, authToken: 'tok', from: '+14155550100' },
      null,
      createSecretBox(randomBytes(32)),
    );
    const applied = applySavedSettings(
      { ...base, sms: { apiUrl: 'x', accountSid: 'AC1', authToken: 'env', from: '+1' } },
      [{ channel: 'sms', settings: stored }],
      box,
    );
    expect(applied.settings.sms).toBeNull();
    expect(applied.sources.sms).toBe('saved');
    expect(applied.problems.sms).toMatch(/secret key/);
  });

  it('puts saved conversation settings over the environment, keeping its settings when they cannot be read', () => {
    const env = {
      ...base,
      botEnabled: true,
      closingMessage: 'Bye from the environment',
      reopenDays: 2,
    };
    const form = conversationsForm.parse({
      botEnabled: false,
      closingMessage: '  See you soon.  ',
      reopenDays: 30,
    });
    const applied = applySavedSettings(
      env,
      [{ channel: 'conversations', settings: conversationsToStore(form) }],
      box,
    );
    expect(applied.settings).toMatchObject({
      botEnabled: false,
      closingMessage: 'See you soon.',
      reopenDays: 30,
    });
    expect(applied.sources.conversations).toBe('saved');
    // An empty closing message is one: nothing is sent on close.
    expect(conversationsForm.parse({ ...form, closingMessage: '   ' }).closingMessage).toBe('');
    for (const reopenDays of [-1, 366, 2.5]) {
      expect(conversationsForm.safeParse({ ...form, reopenDays }).success).toBe(false);
    }
    expect(conversationsForm.safeParse({ ...form, closingMessage: 'x'.repeat(1001) }).success).toBe(
      false,
    );

    const broken = applySavedSettings(
      env,
      [{ channel: 'conversations', settings: { botEnabled: 'yes' } }],
      box,
    );
    expect(broken.settings).toMatchObject({
      botEnabled: true,
      closingMessage: 'Bye from the environment',
      reopenDays: 2,
    });
    expect(broken.sources.conversations).toBe('saved');
    expect(broken.problems.conversations).toBe('The saved settings are not readable');
  });

  it('seals the SMTP URL, keeps the one in use when left empty, and keeps the environment’s mail when unreadable', () => {
    const inUse = {
      smtpUrl: 'smtp://u:secret-pw@smtp.example.com:587',
      mailFrom: 'a@b.c',
      supportAddress: null,
    };
    const form = { sendMail: true, mailFrom: 'Help <help@example.com>', supportAddress: '' };
    const stored = emailToStore(form, inUse, box);
    expect(JSON.stringify(stored)).not.toContain('secret-pw');
    expect(
      applySavedSettings(base, [{ channel: 'email', settings: stored }], box).settings.email,
    ).toEqual({
      smtpUrl: inUse.smtpUrl,
      mailFrom: 'Help <help@example.com>',
      supportAddress: null,
    });
    // Sending asked for with no server typed or in use; one that is not SMTP.
    expect(() => emailToStore(form, { ...inUse, smtpUrl: null }, box)).toThrow(SettingsFormError);
    expect(() =>
      emailToStore({ ...form, smtpUrl: 'https://smtp.example.com' }, inUse, box),
    ).toThrow(/smtp:\/\//);
    // Keeping mail in Parley stores no server at all.
    expect(emailToStore({ ...form, sendMail: false }, inUse, box).smtpUrl).toBeNull();

    const other = createSecretBox(randomBytes(32));
    const applied = applySavedSettings(base, [{ channel: 'email', settings: stored }], other);
    expect(applied.settings.email).toEqual(base.email);
    expect(applied.sources.email).toBe('saved');
    expect(applied.problems.email).toBeTruthy();
  });
});
