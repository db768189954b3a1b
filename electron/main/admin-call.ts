// The main process's own calls to the admin API in connect (and embedded) mode, for the approve
// path: it talks to the server itself with the signed-in console's session cookies (Electron's
// session.fetch on the window's session), never with data handed over by the page.
import type { AdminCall } from '../../node/admin-call';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../common/roles';
import { isInstallationId } from '../../common/schemas/server-info';

/** The fetch of the window's session (`session.fetch`, which sends its cookies); Node's fetch in tests. */
export type SessionFetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string; credentials: 'include'; redirect: 'error' }) => Promise<Response>;

/** Error of an admin call: the server's code and message, or what went wrong on the way. */
export class AdminCallError extends Error {
  override name = 'AdminCallError';
  constructor(
    message: string,
    /** The HTTP status; 0 when no answer came, null when the call never left (not an admin path). */
    readonly status: number | null,
    readonly code: string | null,
  ) {
    super(message);
  }
}

const MAX_ANSWER = 4 * 1024 * 1024;

/**
 * An AdminCall against the active admin origin (read at each call, so a changed connection applies
 * at once). Paths must be `/api/…`; redirects are refused so the cookies never follow elsewhere.
 */
export function createAdminCall(fetchFn: SessionFetch, activeOrigin: () => string | null): AdminCall {
  return async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const origin = activeOrigin();
    if (!origin) throw new AdminCallError('Not connected to a server.', 0, null);
    if (!/^\/api\/[A-Za-z0-9/_\-.?=&%]*$/.test(path) || path.includes('..') || path.includes('//')) {
      throw new AdminCallError('Not an admin API path.', null, null);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchFn(`${origin}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'include',
        redirect: 'error',
      });
    } catch (err) {
      throw new AdminCallError(`The server could not be reached: ${(err as Error).message}`, 0, null);
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER) throw new AdminCallError('The server answered with too much data.', res.status, null);
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new AdminCallError(`The server answered ${res.status} without JSON.`, res.status, null);
      }
    }
    if (!res.ok) {
      const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      const code = typeof error?.code === 'string' ? error.code : null;
      const message = typeof error?.message === 'string' ? error.message : `The server answered ${res.status}.`;
      throw new AdminCallError(message, res.status, code);
    }
    return parsed as T;
  };
}

/** The active server's installation id (GET /api/server-info); keychain entries are filed under it. */
export async function fetchInstallationId(call: AdminCall): Promise<string> {
  const info = await call<{ installationId?: unknown }>('GET', '/api/server-info');
  if (!isInstallationId(info?.installationId)) throw new AdminCallError('The server did not name its installation.', 200, null);
  return info.installationId;
}

/** fetchInstallationId asked once per active origin (a failed answer is asked again next time). */
export function installationIdOf(call: AdminCall, activeOrigin: () => string | null): () => Promise<string> {
  let cached: { origin: string; id: Promise<string> } | undefined;
  return () => {
    const origin = activeOrigin() ?? '';
    if (!cached || cached.origin !== origin) {
      const id = fetchInstallationId(call);
      id.catch(() => (cached = undefined));
      cached = { origin, id };
    }
    return cached.id;
  };
}

// The approval dialog's options live with the other dialog texts (both languages); re-exported for existing callers.
export { approvalDialogOptions, approvedByDialog } from './dialog-texts';
