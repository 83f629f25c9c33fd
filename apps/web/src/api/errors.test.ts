import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

function refusal(message: string, data: Record<string, unknown>) {
  return new TRPCClientError(message, { result: { error: { data } } });
}

describe('errorMessage', () => {
  it('shows a rate-limit refusal with the wait in words, as the server says it', () => {
    const error = refusal('Too many failed sign-ins. Try again in about 15 minutes.', {
      code: 'TOO_MANY_REQUESTS',
      httpStatus: 429,
      retryAfterSeconds: 900,
    });
    expect(errorMessage(error)).toBe('Too many failed sign-ins. Try again in about 15 minutes.');
  });

  it('falls back to a general sentence when a rate-limit refusal has no message', () => {
    const error = refusal('', { code: 'TOO_MANY_REQUESTS', httpStatus: 429 });
    expect(errorMessage(error)).toBe('Too many attempts. Try again shortly.');
  });
});
