/**
 * Test helpers for the customer portal (other portal tests build on this API; keep it stable):
 *
 *   const staff = await signInAs(app, 'manager');
 *   const { client, email, password, userId } = await createPortalUser(app, staff, customerId);
 *   expect((await client.get('/portal-api/me')).body.customerId).toBe(customerId);
 *
 * Everything goes over real HTTP: staff invite on the admin listener, the customer accepts and
 * signs in on the portal listener (app.portalUrl) with the CSRF header.
 */
import { CSRF_HEADER_VALUE } from '../../common/roles';
import type { AdminClient, ApiResponse, Json } from './admin-client';
import { TEST_PASSWORD } from './admin-client';
import type { TestApp } from './test-app';

/** Speaks to the portal listener as one signed-in customer user. */
export interface PortalClient {
  /** The `psid=…` cookie pair. */
  cookie: string;
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body?: unknown): Promise<ApiResponse>;
  put(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string, body?: unknown): Promise<ApiResponse>;
}

function portalUrlOf(app: Pick<TestApp, 'portalUrl'>): string {
  if (!app.portalUrl) throw new Error('The test app runs without a portal listener.');
  return app.portalUrl;
}

/** One request to the portal listener with the CSRF header, JSON body and optional cookie. */
export async function portalRequest(app: Pick<TestApp, 'portalUrl'>, method: string, path: string, body?: unknown, cookie?: string): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'x-requested-with': CSRF_HEADER_VALUE };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${portalUrlOf(app)}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
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

/** A portal client for a `psid=…` cookie pair (or none: every customer route answers 401). */
export function portalClient(app: Pick<TestApp, 'portalUrl'>, cookie = ''): PortalClient {
  const send = (method: string) => (path: string, body?: unknown) => portalRequest(app, method, path, body, cookie || undefined);
  return { cookie, get: (path) => send('GET')(path), post: send('POST'), patch: send('PATCH'), put: send('PUT'), delete: send('DELETE') };
}

const cookieOf = (res: ApiResponse) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;

/** Invites `email` to a customer's portal as `staff` (admin or manager); the token is the link's fragment. */
export async function invitePortalUser(app: TestApp, staff: AdminClient, customerId: string, email: string): Promise<{ token: string; invitationUrl: string; id: string }> {
  const res = await staff.post(`/api/customers/${customerId}/portal-invitations`, { email });
  if (res.status !== 201) throw new Error(`invitation failed with ${res.status}: ${JSON.stringify(res.body)}`);
  const { id, invitationUrl } = res.body as { id: string; invitationUrl: string };
  const token = /#\/invite\/([A-Za-z0-9_-]+)$/.exec(invitationUrl)?.[1];
  if (!token) throw new Error(`unexpected invitation URL ${invitationUrl}`);
  return { token, invitationUrl, id };
}

/** Accepts an invitation with a password over HTTP; the client is signed in. Throws unless 201. */
export async function acceptInvitation(app: TestApp, token: string, password: string): Promise<PortalClient> {
  const res = await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token, password });
  if (res.status !== 201) throw new Error(`accepting the invitation failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return portalClient(app, cookieOf(res));
}

/** Signs a customer user in over HTTP (with a TOTP or recovery code when given). Throws unless 200. */
export async function signInPortal(app: TestApp, email: string, password: string, totp?: string): Promise<PortalClient> {
  const res = await portalRequest(app, 'POST', '/portal-api/session', { email, password, ...(totp === undefined ? {} : { totp }) });
  if (res.status !== 200) throw new Error(`portal sign-in failed with ${res.status}: ${JSON.stringify(res.body)}`);
  return portalClient(app, cookieOf(res));
}

let counter = 0;

/** Invites and accepts in one go: a signed-in customer user of `customerId`. */
export async function createPortalUser(
  app: TestApp,
  staff: AdminClient,
  customerId: string,
  email?: string,
  password: string = TEST_PASSWORD,
): Promise<{ client: PortalClient; email: string; password: string; userId: string }> {
  const address = (email ?? `portal-${++counter}-${Math.random().toString(36).slice(2, 8)}@customer.invalid`).toLowerCase();
  const { token } = await invitePortalUser(app, staff, customerId, address);
  const client = await acceptInvitation(app, token, password);
  const me = await client.get('/portal-api/me');
  if (me.status !== 200) throw new Error(`GET /portal-api/me failed with ${me.status}`);
  return { client, email: address, password, userId: (me.body as { id: string }).id };
}
