import { describe, expect, it } from 'vitest';
import { authResults, failsAuthentication } from './auth-results';
import { mailHeaders } from './mail-headers';

const headersOf = (...values: string[]) =>
  mailHeaders(
    values.map((value) => ({
      key: 'Authentication-Results',
      line: `Authentication-Results: ${value}`,
    })),
  );

describe('authResults', () => {
  it('reads SPF, DKIM and DMARC from the topmost header', () => {
    const results = authResults(
      headersOf(
        'mx.example.com; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org;\r\n dkim=fail header.d=example.org; dmarc=fail (p=reject) header.from=example.org',
        'forged.example; spf=pass; dkim=pass',
      ),
    );
    expect(results).toMatchObject({ spf: 'pass', dkim: 'fail', dmarc: 'fail' });
  });

  it('counts one passing DKIM signature among several as a pass', () => {
    const results = authResults(
      headersOf('mx; dkim=fail header.d=a.org; dkim=pass header.d=b.org'),
    );
    expect(results.dkim).toBe('pass');
  });

  it('gives nulls without a header, and for methods not named', () => {
    expect(authResults(mailHeaders([]))).toEqual({
      spf: null,
      dkim: null,
      dmarc: null,
      header: null,
    });
    expect(authResults(headersOf('mx.example.com; none'))).toMatchObject({ spf: null, dkim: null });
  });
});

describe('failsAuthentication', () => {
  const results = (spf: string | null, dkim: string | null, dmarc: string | null = null) => ({
    spf,
    dkim,
    dmarc,
    header: 'x',
  });

  it('fails a mail with a failed check and no pass', () => {
    expect(failsAuthentication(results('fail', 'none'))).toBe(true);
    expect(failsAuthentication(results('softfail', 'fail'))).toBe(true);
    expect(failsAuthentication(results(null, null, 'fail'))).toBe(true);
  });

  it('lets a mail through that passed SPF or DKIM, or was not checked', () => {
    expect(failsAuthentication(results('fail', 'pass'))).toBe(false);
    expect(failsAuthentication(results('pass', 'fail'))).toBe(false);
    expect(failsAuthentication(results(null, null))).toBe(false);
    expect(failsAuthentication(results('softfail', 'none'))).toBe(false);
  });
});
