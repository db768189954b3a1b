import type { ErrorCode, ErrorDetail, ErrorParams } from '../../common/error-codes';

/**
 * The one error type of the server: status, a code of the catalogue (common/error-codes.ts) and an
 * English message safe to send to the caller.
 */
export class HttpError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: number,
    readonly code: C,
    message: string,
    /** Field-level details for validation errors (paths and messages, never the input values). */
    readonly details?: readonly ErrorDetail[],
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Readonly<Record<string, string>>,
    /** The numbers the message names, for the console's own text (common/error-codes.ts). */
    readonly params?: ErrorParams<C>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad_request', message);
export const notFound = (what = 'The requested resource') => new HttpError(404, 'not_found', `${what} was not found.`);
export const forbidden = (message = 'Your role does not allow this action.') => new HttpError(403, 'forbidden', message);
export const conflict = (message: string) => new HttpError(409, 'conflict', message);
export const unauthenticated = (message = 'Please sign in.') => new HttpError(401, 'unauthenticated', message);

/** 413: the body is over `limit` bytes; the connection closes (the rest of the body is not read). */
export const payloadTooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `The request body is larger than the limit of ${limit} bytes.`, undefined, { connection: 'close' }, { limit });

/** 429 with Retry-After; `message` says what was counted, the params how long to wait. */
export function tooManyRequests(retryAfterSeconds: number, message: string): HttpError<'too_many_requests'> {
  return new HttpError(429, 'too_many_requests', message, undefined, { 'retry-after': String(retryAfterSeconds) }, { retryAfterSeconds });
}
