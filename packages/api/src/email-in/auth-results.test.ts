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
      passedFor: { spf: [], dkim: [] },
      header: null,
    });
    expect(authResults(headersOf('mx.example.com; none'))).toMatchObject({ spf: null, dkim: null });
  });
});

describe('failsAuthentication', () => {
  const results = (
    spf: string | null,
    dkim: string | null,
    dmarc: string | null = null,
    passedFor: { spf?: string[]; dkim?: string[] } = {},
  ) => ({
    spf,
    dkim,
    dmarc,
    passedFor: { spf: passedFor.spf ?? [], dkim: passedFor.dkim ?? [] },
    header: 'x',
  });
  const from = 'customer@example.org';

  it('fails a mail with a failed check and no pass', () => {
    expect(failsAuthentication(results('fail', 'none'), from)).toBe(true);
    expect(failsAuthentication(results('softfail', 'fail'), from)).toBe(true);
    expect(failsAuthentication(results(null, null, 'fail'), from)).toBe(true);
  });

  it('lets a mail through that passed SPF or DKIM for its From domain, or was not checked', () => {
    expect(failsAuthentication(results('fail', 'pass'), from)).toBe(false);
    expect(failsAuthentication(results('pass', 'fail'), from)).toBe(false);
    expect(failsAuthentication(results(null, null), from)).toBe(false);
    expect(failsAuthentication(results('softfail', 'none'), from)).toBe(false);
    expect(failsAuthentication(results('pass', 'none', null, { spf: ['example.org'] }), from)).toBe(
      false,
    );
    expect(
      failsAuthentication(results('none', 'pass', null, { dkim: ['mail.example.org'] }), from),
    ).toBe(false);
  });

  it('fails a mail that passed only for another domain, or failed DMARC whatever passed', () => {
    // MAIL FROM a domain of the sender's own, From a customer's address.
    expect(failsAuthentication(results('pass', 'none', null, { spf: ['evil.test'] }), from)).toBe(
      true,
    );
    expect(failsAuthentication(results('none', 'pass', null, { dkim: ['evil.test'] }), from)).toBe(
      true,
    );
    expect(failsAuthentication(results('pass', 'fail', 'fail'), from)).toBe(true);
    expect(
      failsAuthentication(results('pass', 'pass', 'fail', { spf: ['example.org'] }), from),
    ).toBe(true);
  });

  it('reads the domains SPF and DKIM passed for from the header', () => {
    const read = authResults(
      headersOf(
        'mx.example.com; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=x@Evil.test; dkim=pass header.d=evil.test header.s=s1; dkim=fail header.d=example.org; dmarc=fail header.from=example.org',
      ),
    );
    expect(read.passedFor).toEqual({ spf: ['evil.test'], dkim: ['evil.test'] });
    expect(failsAuthentication(read, from)).toBe(true);
  });
});
