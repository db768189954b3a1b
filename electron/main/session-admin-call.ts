import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../common/roles';
import { isInstallationId } from '../../common/schemas/server-info';
import type { AdminCall } from '../../node/admin-call';

/** An admin API failure seen from the main process: status (0 when no answer came) and the server's code and message. */
export class MainAdminCallError extends Error {
  override name = 'MainAdminCallError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * An AdminCall for the main process: JSON requests to the console's origin through `fetch`, which
 * main.ts binds to the console window's session (Electron's `session.fetch`), so the call runs as
 * the signed-in console user. Redirects are errors; the answer is bounded by a timeout.
 */
export function createSessionAdminCall(deps: { origin: () => string | null; fetch: (url: string, init: RequestInit) => Promise<Response> }): AdminCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const origin = deps.origin();
    if (!origin) throw new MainAdminCallError(0, 'unavailable', 'The server is not connected.');
    if (!path.startsWith('/api/')) throw new MainAdminCallError(0, 'bad_request', 'Only admin API paths can be called.');
    const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await deps.fetch(origin + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'include',
        redirect: 'error',
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      throw new MainAdminCallError(0, 'unavailable', 'The server did not answer.');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json as T;
    const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new MainAdminCallError(res.status, typeof error?.code === 'string' ? error.code : 'http_error', typeof error?.message === 'string' ? error.message : `The server answered ${res.status}.`);
  };
}

/** The installation id of the server behind `adminCall` (GET /api/server-info), asked once per origin. */
export function installationIdFrom(adminCall: AdminCall, origin: () => string | null): () => Promise<string> {
  let cached: { origin: string; id: Promise<string> } | undefined;
  return () => {
    const now = origin() ?? '';
    if (!cached || cached.origin !== now) {
      const id = adminCall<{ installationId?: unknown }>('GET', '/api/server-info').then((info) => {
        if (!isInstallationId(info?.installationId)) throw new MainAdminCallError(0, 'bad_server', 'The server named no installation id.');
        return info.installationId;
      });
      id.catch(() => (cached = undefined));
      cached = { origin: now, id };
    }
    return cached.id;
  };
}
