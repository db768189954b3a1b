import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../common/roles';
import { isInstallationId, type ServerInfo } from '../../common/schemas/server-info';
import type { AdminCall } from '../../node/admin-call';
import { createAdminTransport, type AdminTransport, type TlsTrust, type TransportResponse } from './admin-transport';

/** A failed admin API call: HTTP status, the server's error code and its one-line message. */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** What signing in needs: the password, and the current TOTP code where two-factor sign-in is on. */
export interface Credentials {
  email: string;
  password: string;
  totp?: string;
}

/** A connection to one server's admin API (for CLI commands): pinned transport, session cookie, CSRF header. */
export class AdminClient {
  private cookie = '';

  private constructor(readonly origin: string, private readonly send: AdminTransport) {}

  /** Connects (checking the certificate before anything is sent) without signing in. */
  static connect(serverUrl: string, trust: TlsTrust): AdminClient {
    const { origin, send } = createAdminTransport(serverUrl, trust);
    return new AdminClient(origin, send);
  }

  /** GET /api/server-info (no session): the installation id files the keychain entry. */
  async serverInfo(): Promise<ServerInfo> {
    const info = await this.call<ServerInfo>('GET', '/api/server-info');
    if (!isInstallationId(info?.installationId)) throw new AdminApiError(0, 'bad_server', 'the server did not name its installation (is it a Creative Engine admin listener?)');
    return info;
  }

  /** Signs in; throws AdminApiError (401 for a wrong e-mail, password or TOTP code). */
  async signIn(credentials: Credentials): Promise<void> {
    const body: Record<string, string> = { email: credentials.email, password: credentials.password };
    if (credentials.totp) body.totp = credentials.totp;
    const res = await this.raw('POST', '/api/session', body);
    if (res.status === 401) {
      const code = errorOf(res)?.code;
      if (code === 'totp_required') throw new AdminApiError(401, code, 'two-factor sign-in is on: give the current TOTP code as the second line of standard input');
      if (code === 'totp_invalid') throw new AdminApiError(401, code, 'the TOTP code was wrong or expired');
      throw new AdminApiError(401, 'unauthenticated', 'wrong e-mail or password');
    }
    this.parse(res); // throws the server's message for any other failure
    const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join(', ');
    const sid = /(?:^|,\s*)sid=([^;]+)/.exec(setCookie)?.[1];
    if (!sid) throw new AdminApiError(res.status, 'no_session', 'the server did not start a session');
    this.cookie = `sid=${sid}`;
  }

  /** Calls the API; resolves with the JSON body or throws AdminApiError with the server's message. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.parse(await this.raw(method, path, body)) as T;
  }

  /** This client as an AdminCall (what node/case-approval.ts takes). */
  readonly adminCall: AdminCall = (method, path, body) => this.call(method, path, body);

  /** Signs out (best effort: the session also expires on its own). */
  async signOut(): Promise<void> {
    if (!this.cookie) return;
    try {
      await this.raw('DELETE', '/api/session');
    } catch {
      // the server may be gone; nothing else to clean up here
    }
    this.cookie = '';
  }

  private raw(method: string, path: string, body?: unknown): Promise<TransportResponse> {
    const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE, accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return this.send(method, path, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  private parse(res: TransportResponse): unknown {
    let json: unknown = undefined;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      // not JSON: handled below
    }
    if (res.status >= 200 && res.status < 300) return json;
    const error = errorOf(res);
    throw new AdminApiError(res.status, error?.code ?? 'http_error', error?.message ?? `the server answered ${res.status}`);
  }
}

function errorOf(res: TransportResponse): { code?: string; message?: string } | undefined {
  try {
    return (JSON.parse(res.body) as { error?: { code?: string; message?: string } } | undefined)?.error;
  } catch {
    return undefined;
  }
}
