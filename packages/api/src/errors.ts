import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';

/** The domain's error codes; each maps to exactly one tRPC code below. */
export type AppErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_REQUEST'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNAVAILABLE';

const toTrpcCode: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  BAD_REQUEST: 'BAD_REQUEST',
  RATE_LIMITED: 'TOO_MANY_REQUESTS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
};

/** Extra machine-readable detail that reaches the client in `error.data`. */
export type AppErrorDetails = {
  /** Field-level messages for forms: `{ email: ['Already registered'] }`. */
  fieldErrors?: Record<string, string[]>;
  /** For RATE_LIMITED and UNAVAILABLE: seconds until the caller may try again. */
  retryAfterSeconds?: number;
};

/** A typed domain error. Thrown by queries and services; mapped to tRPC once. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly details: AppErrorDetails;

  constructor(code: AppErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** The tRPC error a client sees for a domain error. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: toTrpcCode[error.code], message: error.message, cause: error });
}

export const notFound = (what = 'Ticket') => new AppError('NOT_FOUND', `${what} not found`);

/** The database cannot be reached: a retry, with the same input, is safe and expected. */
export const unavailable = () =>
  new AppError('UNAVAILABLE', 'Parley is briefly unavailable. Try again in a moment.', {
    retryAfterSeconds: 1,
  });
