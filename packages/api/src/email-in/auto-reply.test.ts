import { describe, expect, it } from 'vitest';
import { autoReplyReason } from './auto-reply';
import { mailHeaders } from './mail-headers';

const facts = (
  headers: Record<string, string>,
  envelope: { returnPath?: string; fromAddress?: string } = {},
) => ({
  headers: mailHeaders(
    Object.entries(headers).map(([key, value]) => ({ key, line: `${key}: ${value}` })),
  ),
  returnPath: envelope.returnPath ?? 'alice@example.com',
  fromAddress: envelope.fromAddress ?? 'alice@example.com',
});

describe('autoReplyReason', () => {
  it('lets a person’s mail through', () => {
    expect(autoReplyReason(facts({ Subject: 'Help', 'Content-Type': 'text/plain' }))).toBeNull();
  });

  it('lets Auto-Submitted: no through, and catches every other value', () => {
    expect(autoReplyReason(facts({ 'Auto-Submitted': 'no' }))).toBeNull();
    expect(autoReplyReason(facts({ 'Auto-Submitted': 'No ; comment' }))).toBeNull();
    for (const value of ['auto-replied', 'auto-generated', 'auto-notified; owner-email="x@y"']) {
      expect(autoReplyReason(facts({ 'Auto-Submitted': value }))).toMatch(/^Auto-Submitted/);
    }
  });

  it('catches Precedence bulk, junk, list and auto_reply, not first-class', () => {
    for (const value of ['bulk', 'Junk', 'list', 'auto_reply']) {
      expect(autoReplyReason(facts({ Precedence: value }))).toMatch(/^Precedence/);
    }
    expect(autoReplyReason(facts({ Precedence: 'first-class' }))).toBeNull();
  });

  it('catches X-Autoreply and X-Autorespond whatever their value', () => {
    expect(autoReplyReason(facts({ 'X-Autoreply': 'yes' }))).not.toBeNull();
    expect(autoReplyReason(facts({ 'X-Autorespond': '' }))).not.toBeNull();
  });

  it('catches delivery status notifications (multipart/report)', () => {
    const dsn = 'multipart/report; report-type=delivery-status; boundary="b"';
    expect(autoReplyReason(facts({ 'Content-Type': dsn }))).toMatch(/report/);
  });

  it('catches a null return path and mailer daemons', () => {
    expect(autoReplyReason(facts({}, { returnPath: '' }))).toMatch(/empty return path/);
    expect(autoReplyReason(facts({}, { returnPath: 'MAILER-DAEMON@mx.example.com' }))).toMatch(
      /daemon/,
    );
    expect(autoReplyReason(facts({}, { fromAddress: 'postmaster@example.com' }))).toMatch(/daemon/);
  });

  it('catches Parley’s own notification emails coming back', () => {
    expect(autoReplyReason(facts({ 'X-Parley-Idempotency-Key': 'email:1:x:y' }))).not.toBeNull();
  });
});
