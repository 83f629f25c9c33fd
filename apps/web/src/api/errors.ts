import type { AppRouter } from '@parley/api';
import { TRPCClientError } from '@trpc/client';

/** The error data shaped by the server's errorFormatter (packages/api/src/trpc.ts). */
function dataOf(error: unknown) {
  if (!(error instanceof TRPCClientError)) return undefined;
  return (error as TRPCClientError<AppRouter>).data ?? undefined;
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error)?.code;
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED';
}

/**
 * Whether asking again might give another answer: a lost connection or a server
 * fault might pass, a refusal (not found, invalid input, forbidden, too many) will not.
 */
export function isWorthRetrying(error: unknown): boolean {
  const status = dataOf(error)?.httpStatus;
  return status === undefined || status >= 500;
}

/** The ticket (or page) asked for does not exist, or its address is not one at all. */
export function isNotFound(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'NOT_FOUND' || code === 'BAD_REQUEST';
}

/** The server's per-field messages (`{ email: ['Already registered'] }`), first message per field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const fields: Record<string, string[] | undefined> = dataOf(error)?.fieldErrors ?? {};
  const result: Record<string, string> = {};
  for (const [name, messages] of Object.entries(fields)) {
    const first = messages?.[0];
    if (first) result[name] = first;
  }
  return result;
}

/** One sentence for the person in front of the screen; never a stack or a JSON dump. */
export function errorMessage(error: unknown): string | null {
  if (!error) return null;
  const data = dataOf(error);
  if (!data) return 'Cannot reach Parley. Check your connection and try again.';
  // The server's refusal says what was limited and the wait in words ("Try again in about 15 minutes.").
  if (data.code === 'TOO_MANY_REQUESTS') {
    return error instanceof Error && error.message
      ? error.message
      : 'Too many attempts. Try again shortly.';
  }
  if (data.fieldErrors && Object.keys(data.fieldErrors).length > 0)
    return 'Please correct the highlighted fields.';
  if (data.code === 'INTERNAL_SERVER_ERROR')
    return 'Something went wrong on our side. Please try again.';
  return error instanceof Error ? error.message : 'Something went wrong.';
}
