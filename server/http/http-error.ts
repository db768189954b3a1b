/** Error codes the API may answer with; the message is always safe to show. */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'csrf_header_missing'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'request_aborted'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'gone'
  | 'locked'
  | 'internal_error'
  | 'unavailable';

/** The one error type of the server: status, code and a message safe to send to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Field-level details for validation errors (paths and messages, never the input values). */
    readonly details?: ReadonlyArray<{ path: string; message: string }>,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Readonly<Record<string, string>>,
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
