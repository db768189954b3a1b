/**
 * Test helper for the admin API: sign in as a role, then send JSON requests that carry the session
 * cookie and the CSRF header. Works against any running app (startTestApp). Example:
 *
 *   const app = await startTestApp();
 *   const manager = await signInAs(app, 'manager');
 *   const res = await manager.post('/api/customers', { name: 'ACME', email: 'ads@acme.example' });
 *   expect(res.status).toBe(201);
 *   const nobody = anonymousClient(app);   // no cookie: expect 401s
 */
import type { Role } from '../../common/roles';
import { CSRF_HEADER_VALUE } from '../../common/roles';
import type { Me } from '../../common/schemas/user';
import { hashPassword } from '../auth/password';
import { TwoFactor } from '../auth/two-factor';
import { newId } from '../store/new-id';
import { UserRepo } from '../users/user-repo';
import type { TestApp } from './test-app';
import { nextTotpCodeFor, rememberTotp, waitForFreshTotpCode } from './totp-fixture';

/** A password that satisfies the rules; every account the helper creates uses it unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';

// Tests read arbitrary JSON answers; a loose type keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** An answer: status, headers and the parsed JSON body (undefined when empty, text when not JSON). */
export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export interface RequestOptions {
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is (e.g. an image); set content-type in `headers`. */
  body?: Uint8Array | string;
  headers?: Record<string, string>;
  /** Leave out X-Requested-With (to test the CSRF check). */
  omitCsrfHeader?: boolean;
}

/** Speaks to the admin listener as one signed-in user (or as nobody). */
export class AdminClient {
  constructor(
    readonly baseUrl: string,
    /** The `sid=…` cookie pair, or undefined when signed out. */
    public cookie?: string,
    readonly user?: Me,
  ) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.omitCsrfHeader) headers['x-requested-with'] = CSRF_HEADER_VALUE;
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    // A copy over a plain ArrayBuffer: under the DOM lib (browser tests import this file too) fetch refuses a possibly shared buffer.
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body instanceof Uint8Array ? new Uint8Array(body) : body });
    const text = await res.text();
    let parsed: Json = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, json?: unknown, options?: RequestOptions) {
    return this.request('POST', path, { ...options, json });
  }
  patch(path: string, json?: unknown, options?: RequestOptions) {
    return this.request('PATCH', path, { ...options, json });
  }
  delete(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }
}

/** A client without a session (every protected route answers 401). */
export function anonymousClient(app: Pick<TestApp, 'adminUrl'>): AdminClient {
  return new AdminClient(app.adminUrl);
}

let counter = 0;

/**
 * Creates a staff account straight in the store (no HTTP, no audit entry); returns its id and e-mail.
 * Accounts that must use two-factor sign-in (management, DPO, everyone under the setting) get TOTP
 * set up too, so `signIn` can send a code; `totp` overrides (false: leave it enrolment-due).
 */
export async function createTestUser(
  app: Pick<TestApp, 'ctx' | 'services'>,
  options: { roles: Role[]; email?: string; name?: string; password?: string; totp?: boolean },
): Promise<{ id: string; email: string; password: string; totpSecret?: string }> {
  const id = newId('user');
  const email = (options.email ?? `${options.roles.join('-')}-${++counter}-${id.slice(-6)}@test.invalid`).toLowerCase();
  const password = options.password ?? TEST_PASSWORD;
  const at = app.ctx.now().toISOString();
  new UserRepo(app.ctx.db, app.services.privacy.cipher).insert({ id, email, name: options.name ?? `Test ${options.roles.join('+')}`, passwordHash: await hashPassword(password), roles: options.roles, at });
  const twoFactor = new TwoFactor(app.ctx.db, app.services.privacy.cipher, app.ctx.now);
  if (!(options.totp ?? twoFactor.required(options.roles))) return { id, email, password };
  const totpSecret = await enrolTotpInStore(app, twoFactor, id, email);
  return { id, email, password, totpSecret };
}

/** Sets up TOTP for an account through the real enrolment code (no HTTP, no audit entry) and registers it for `signIn`. */
async function enrolTotpInStore(app: Pick<TestApp, 'ctx'>, twoFactor: TwoFactor, id: string, email: string): Promise<string> {
  const { secret } = twoFactor.begin(id, email)!;
  const { code, step } = await waitForFreshTotpCode(secret, null, app.ctx.now);
  if (!Array.isArray(twoFactor.confirm(id, code))) throw new Error(`TOTP enrolment of ${email} failed`);
  rememberTotp(email, secret, step, app.ctx.now);
  return secret;
}

/**
 * Signs in over HTTP with e-mail and password (and a fresh TOTP code for accounts the fixtures
 * enrolled, unless `totp` is given); throws unless the server answers 200.
 */
export async function signIn(app: Pick<TestApp, 'adminUrl'>, email: string, password: string, totp?: string): Promise<AdminClient> {
  const code = totp ?? (await nextTotpCodeFor(email));
  const res = await anonymousClient(app).post('/api/session', { email, password, ...(code === undefined ? {} : { totp: code }) });
  if (res.status !== 200) throw new Error(`sign-in failed with ${res.status}: ${JSON.stringify(res.body)}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return new AdminClient(app.adminUrl, cookie, res.body as Me);
}

/** Creates a fresh account with the given role(s) and signs it in. */
export async function signInAs(app: Pick<TestApp, 'adminUrl' | 'ctx' | 'services'>, roles: Role | Role[], options: { email?: string; name?: string } = {}): Promise<AdminClient> {
  const user = await createTestUser(app, { roles: Array.isArray(roles) ? roles : [roles], ...options });
  return signIn(app, user.email, user.password);
}
