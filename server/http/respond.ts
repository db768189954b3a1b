import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../../common/error-codes';
import { HttpError } from './http-error';
import type { Logger } from '../log/logger';

/** Sends a JSON body with the right length and type. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  sendJsonText(res, status, body === undefined ? '' : JSON.stringify(body), headers);
}

/** sendJson for a body already stringified ('' for none); `vary` is set when given. */
export function sendJsonText(res: ServerResponse, status: number, payload: string, headers?: Record<string, string>, vary?: string): void {
  res.statusCode = status;
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status === 204 || payload === '') {
    res.end();
    return;
  }
  if (vary) res.setHeader('vary', vary);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(payload));
  res.end(payload);
}

/**
 * The one place that turns anything thrown into a response (`ErrorBody` of common/error-codes.ts):
 * HttpErrors keep their status, safe message and params; anything else becomes a 500 with a generic message, logged without request data.
 */
export function sendError(res: ServerResponse, err: unknown, log: Logger): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Drop any header a handler set before failing (cookies, caching) except the security ones.
  for (const name of res.getHeaderNames()) {
    if (!SECURITY_HEADER_NAMES.has(name)) res.removeHeader(name);
  }
  if (err instanceof HttpError) {
    // The client went away mid-request: nobody reads the answer, and nothing went wrong here.
    if (err.code === 'request_aborted') log.debug?.('client aborted a request', { status: err.status });
    const error: ErrorBody['error'] = { code: err.code, message: err.message };
    if (err.params && Object.keys(err.params).length) error.params = err.params;
    if (err.details?.length) error.details = [...err.details];
    sendJson(res, err.status, { error } satisfies ErrorBody, err.headers ? { ...err.headers } : undefined);
    return;
  }
  log.error('unhandled error', { error: err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown', stack: err instanceof Error ? err.stack : undefined });
  sendJson(res, 500, { error: { code: 'internal_error', message: 'Something went wrong on the server. The error was logged.' } } satisfies ErrorBody);
}

const SECURITY_HEADER_NAMES = new Set([
  'x-content-type-options',
  'referrer-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'content-security-policy',
  'x-frame-options',
  'strict-transport-security',
  'permissions-policy',
]);
