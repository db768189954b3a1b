import { TOTP_REQUIRED_ROLES, type Role } from '../../../common/roles';
import { enrolTotpOverHttp, nextTotpCodeFor } from '../../test/totp-fixture';

/** A signed-in staff member talking to the real admin API over HTTP. */
export interface StaffClient {
  id: string;
  email: string;
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }>;
}

export const PASSWORD = 'correct horse battery staple';

/** Signs in with e-mail and password (and a fresh TOTP code when the fixtures enrolled the account); the cookie is kept for later calls. */
export async function signIn(adminUrl: string, email: string, password = PASSWORD): Promise<StaffClient> {
  const totp = await nextTotpCodeFor(email);
  const res = await fetch(`${adminUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email, password, ...(totp === undefined ? {} : { totp }) }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
  const me = (await res.json()) as { id: string };
  return clientFor(adminUrl, email, me.id, /sid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!);
}

function clientFor(adminUrl: string, email: string, id: string, sid: string): StaffClient {
  return {
    id,
    email,
    async call(method, path, body, headers = {}) {
      const res = await fetchOnce(adminUrl + path, {
        method,
        headers: {
          cookie: `sid=${sid}`,
          'x-requested-with': 'creative-engine',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // CSV and other text bodies stay strings
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
  };
}

/**
 * fetch, tried a second time when the server had just closed the idle keep-alive connection the
 * request went out on (the request never reached it, so repeating it is safe).
 */
async function fetchOnce(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if ((err as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw err;
    return fetch(url, init);
  }
}

/** Creates the first admin through first-run setup (loopback) and returns their client. */
export async function setupAdmin(adminUrl: string, email = 'admin@example.com'): Promise<StaffClient> {
  const res = await fetch(`${adminUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email, name: 'Admin', password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return signIn(adminUrl, email);
}

/**
 * Creates staff accounts through the users API (admin) and signs each in; those whose role requires
 * two-factor sign-in (management, DPO) enrol TOTP over HTTP right after, on the server's clock `now`.
 */
export async function createStaff(adminUrl: string, admin: StaffClient, people: Record<string, Role[]>, now: () => Date = () => new Date()): Promise<Record<string, StaffClient>> {
  const out: Record<string, StaffClient> = {};
  for (const [name, roles] of Object.entries(people)) {
    const email = `${name}@example.com`;
    const res = await admin.call('POST', '/api/users', { email, name, password: PASSWORD, roles });
    if (res.status !== 201) throw new Error(`creating ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const client = await signIn(adminUrl, email);
    if (roles.some((r) => TOTP_REQUIRED_ROLES.includes(r))) {
      await enrolTotpOverHttp(async (path, body) => client.call('POST', path, body), email, now);
    }
    out[name] = client;
  }
  return out;
}
