import type { IncomingMessage } from 'node:http';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../common/roles';
import { HttpError } from './http-error';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Throws 403 `csrf_header_missing` unless a state-changing request carries `X-Requested-With:
 * creative-engine`: a cross-site form or image cannot set it, and a cross-site script may not without a
 * CORS preflight that the admin and portal listeners never grant. Both listeners' route wrappers call it.
 */
export function requireCsrfHeader(method: string, req: IncomingMessage): void {
  if (!SAFE_METHODS.has(method) && req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
    throw new HttpError(403, 'csrf_header_missing', `State-changing requests need the header X-Requested-With: ${CSRF_HEADER_VALUE}.`);
  }
}
