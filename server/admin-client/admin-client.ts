import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../common/roles';
import { httpOriginOf } from '../../node/http-origin';

/** A failed admin API call: HTTP status, the server's error code and its one-line message. */
export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A signed-in session against the admin API (for CLI commands): the session cookie and the CSRF header. */
export class AdminClient {
  private cookie = '';

  private constructor(readonly origin: string) {}

  /** Signs in; throws AdminApiError (401 for a wrong e-mail or password) or a one-line connection error. */
  static async signIn(serverUrl: string, email: string, password: string, totp?: string): Promise<AdminClient> {
    const origin = httpOriginOf(serverUrl);
    if (!origin) throw new AdminApiError(0, 'bad_url', `--server must be the console's http(s) URL, like http://127.0.0.1:8081.`);
    const client = new AdminClient(origin);
    const res = await client.raw('POST', '/api/session', { email, password, ...(totp === undefined ? {} : { totp }) });
    if (res.status === 401) {
      const code = ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
      if (code === 'totp_required') throw new AdminApiError(401, code, 'two-factor sign-in is on: give the current code as the second line of standard input');
      if (code === 'totp_invalid') throw new AdminApiError(401, code, 'the two-factor code is wrong or was used already');
      throw new AdminApiError(401, 'unauthenticated', 'wrong e-mail or password');
    }
    await client.parse(res); // throws the server's message for any other failure
    const setCookie = res.headers.get('set-cookie') ?? '';
    const sid = /(?:^|,\s*)sid=([^;]+)/.exec(setCookie)?.[1];
    if (!sid) throw new AdminApiError(res.status, 'no_session', 'the server did not start a session');
    client.cookie = `sid=${sid}`;
    return client;
  }

  /** Calls the API; resolves with the JSON body or throws AdminApiError with the server's message. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.parse(await this.raw(method, path, body))) as T;
  }

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

  private async raw(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE, accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(this.origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'error', signal: AbortSignal.timeout(30_000) });
    } catch {
      throw new AdminApiError(0, 'unreachable', `cannot reach the server at ${this.origin}`);
    }
  }

  private async parse(res: Response): Promise<unknown> {
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: handled below
    }
    if (res.ok) return json;
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new AdminApiError(res.status, error?.code ?? 'http_error', error?.message ?? `the server answered ${res.status}`);
  }
}
