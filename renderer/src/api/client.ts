import axios, { AxiosError, type AxiosRequestConfig } from 'axios';
import type { ErrorDetail } from '../../../common/error-codes';
import { IPC_ERROR_CODES } from '../../../common/ipc-channels';
import { CSRF_HEADER_VALUE } from '../../../common/roles';

/** Codes the console gives failures that never got an answer from the server (translated like the server's). */
export const CONSOLE_ERROR_CODES = ['network', 'timeout', 'client_error'] as const;

/**
 * An admin API failure: a code of the catalogue (common/error-codes.ts) or of CONSOLE_ERROR_CODES,
 * the server's English message (for logs), and the params the console's own text fills in.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly params: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The one HTTP client of the console: same origin as the page (the admin listener), cookies sent,
 * the CSRF header on every request. Nothing else in the renderer talks to a server.
 */
export const http = axios.create({
  baseURL: '',
  withCredentials: true,
  timeout: 60_000,
  headers: { 'X-Requested-With': CSRF_HEADER_VALUE },
});

let onUnauthenticated: (() => void) | null = null;

/** Registers what to do when the session is gone (the router sends the user to sign-in). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

// Paths where a 401 is an answer, not an expired session (the console's and the customer portal's).
const AUTH_PATHS = ['/api/session', '/api/me', '/api/setup', '/portal-api/session', '/portal-api/me', '/portal-api/invitations/'];

http.interceptors.response.use(undefined, (err: unknown) => {
  const apiError = toApiError(err);
  const url = err instanceof AxiosError ? (err.config?.url ?? '') : '';
  if (apiError.status === 401 && !AUTH_PATHS.some((p) => url.startsWith(p))) onUnauthenticated?.();
  return Promise.reject(apiError);
});

/** Turns anything axios throws into an ApiError; `network` and `timeout` codes when no answer came. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof AxiosError) {
    const res = err.response;
    if (!res) return new ApiError(0, err.code === 'ECONNABORTED' ? 'timeout' : 'network', err.message);
    const body = res.data as { error?: { code?: unknown; message?: unknown; details?: unknown; params?: unknown } } | undefined;
    const e = body?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      const details = Array.isArray(e.details) ? (e.details as ErrorDetail[]).filter((d) => typeof d?.path === 'string') : [];
      const params = e.params && typeof e.params === 'object' ? (e.params as Record<string, unknown>) : {};
      return new ApiError(res.status, e.code, e.message, details, params);
    }
    return new ApiError(res.status, res.status >= 500 ? 'internal_error' : 'bad_request', `HTTP ${res.status}`);
  }
  return new ApiError(0, 'client_error', err instanceof Error ? err.message : String(err));
}

/** Turns a failed desktop call (window.engine: an Error named by its IPC error code) into an ApiError the views translate. */
export function toEngineError(err: unknown): ApiError {
  if (err instanceof Error && (IPC_ERROR_CODES as readonly string[]).includes(err.name)) return new ApiError(0, err.name, err.message);
  return toApiError(err);
}

/** GET a JSON resource. */
export async function apiGet<T>(url: string, params?: Record<string, unknown>, config?: AxiosRequestConfig): Promise<T> {
  const res = await http.get<T>(url, { ...config, params: params && dropEmpty(params) });
  return res.data;
}

/** POST JSON (or a raw body with its own content type via `config.headers`). */
export async function apiPost<T>(url: string, body?: unknown, config?: AxiosRequestConfig): Promise<T> {
  return (await http.post<T>(url, body, config)).data;
}

/** PATCH JSON. */
export async function apiPatch<T>(url: string, body: unknown): Promise<T> {
  return (await http.patch<T>(url, body)).data;
}

/** PUT JSON. */
export async function apiPut<T>(url: string, body: unknown): Promise<T> {
  return (await http.put<T>(url, body)).data;
}

/** DELETE a resource (with an optional JSON body, e.g. a proof). */
export async function apiDelete(url: string, body?: unknown): Promise<void> {
  await http.delete(url, body === undefined ? undefined : { data: body });
}

function dropEmpty(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
