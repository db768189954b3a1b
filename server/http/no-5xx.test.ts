/**
 * Robustness sweep: every route of every listener (delivery, admin, portal) gets a fixed set of malformed inputs (path ids,
 * bodies, content types, query values). None may answer 5xx; every /api error is JSON
 * `{error:{code,message}}` and no error echoes what was sent (each bad value carries a marker).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ROUTES } from '../../common/portal-access';
import { PAGE_PATHS } from '../portal/page-paths';
import { signInAs, type AdminClient } from '../test/admin-client';
import { createPortalUser, type PortalClient } from '../test/portal-fixture';
import { expectStatus, seedCatalog, type SeededCatalog } from '../test/catalog-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

/** In every bad value, so an echo is easy to spot; too long for a random token in an answer to contain it by chance. */
const MARK = 'zzqmarkzzq';

/** Raw path segments (sent verbatim, not normalised like fetch would). */
const BAD_IDS = [
  '%',
  '%zz',
  '..',
  '%2e%2e',
  `${MARK}${'x'.repeat(300)}`,
  `${MARK}%00`,
  `${MARK}%C3%BC%E2%82%AC%F0%9F%98%80`,
  `%FF%FE${MARK}`,
  `${MARK}\u00e9\u00ff`, // raw latin-1 bytes
  `${MARK}%2F..%2F..%2Fetc%2Fpasswd`,
  `${MARK}%20%22%3Cscript%3E`,
  '-1',
  'NaN',
  '1e999',
  `customer_${MARK}`,
  `${MARK}.js`,
];

const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}"${MARK}"${'}'.repeat(depth)}`;
const wideJson = () => JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`${MARK}${i}`, i])));
/** Unknown keys that are not plain field names (the API may name a few plain ones, never these). */
const oddKeys = () => JSON.stringify({ [`${MARK}<b>`]: 1, [`${MARK} x`]: 2, [`${MARK}\u00fc`]: 3 });
/** Every field name the API knows, each given a value of the wrong type. */
const FIELDS = [
  'name', 'email', 'password', 'roles', 'kind', 'status', 'customerId', 'siteId', 'campaignId', 'zoneId', 'zoneIds',
  'domain', 'width', 'height', 'startsAt', 'endsAt', 'targeting', 'priority', 'weight', 'dailyCap', 'impressionGoal',
  'goal', 'pacing', 'price', 'model', 'amount', 'effectiveFrom',
  'assetId', 'imageUrl', 'html', 'landingUrl', 'alt', 'message', 'note', 'reason', 'from', 'to', 'filters',
  'affectedCustomerId', 'approvers', 'threshold', 'publicKey', 'share', 'records', 'retainUntil', 'dueAt', 'response',
  'token', 'totp', 'code', 'currentPassword', 'newPassword', 'confirm', 'disabled',
];
const wrongTypes = (value: unknown) => JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, value])));

const JSON_TYPE = 'application/json';
/** Bodies for routes that take JSON: [label, body, content-type]. */
const BAD_BODIES: Array<[string, string | Buffer, string | undefined]> = [
  ['not json', `{${MARK}`, JSON_TYPE],
  ['truncated', `{"name":"${MARK}`, JSON_TYPE],
  ['empty', '', JSON_TYPE],
  ['array', `["${MARK}"]`, JSON_TYPE],
  ['number', '1e999', JSON_TYPE],
  ['null', 'null', JSON_TYPE],
  ['string', `"${MARK}"`, JSON_TYPE],
  ['proto', `{"__proto__":{"admin":true},"constructor":{"prototype":{"${MARK}":1}}}`, JSON_TYPE],
  ['arrays', wrongTypes([MARK]), JSON_TYPE],
  ['objects', wrongTypes({ [`${MARK}!`]: { [MARK]: [MARK] } }), JSON_TYPE],
  ['numbers', wrongTypes(-1e308), JSON_TYPE],
  ['nulls', wrongTypes(null), JSON_TYPE],
  ['strings', wrongTypes(`${MARK}\u0000\ud800${'x'.repeat(2000)}`), JSON_TYPE],
  ['deep', deepJson(5000), JSON_TYPE],
  ['wide', wideJson(), JSON_TYPE],
  ['odd keys', oddKeys(), JSON_TYPE],
  ['oversized', `{"name":"${MARK}${'x'.repeat(1024 * 1024)}"}`, JSON_TYPE],
  ['bad utf-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`${MARK}"}`)]), JSON_TYPE],
  ['text/plain', `{"name":"${MARK}"}`, 'text/plain'],
  ['form', `name=${MARK}`, 'application/x-www-form-urlencoded'],
  ['multipart', `--b\r\ncontent-disposition: form-data; name="x"\r\n\r\n${MARK}\r\n--b--`, 'multipart/form-data; boundary=b'],
  ['no type', `{"name":"${MARK}"}`, undefined],
  ['json lookalike', `{"name":"${MARK}"}`, 'application/jsonx'],
  ['image claim', `{"name":"${MARK}"}`, 'image/png'],
];

/** Query strings for GET routes. */
const BAD_QUERIES = [
  'limit=-1&offset=-5',
  'limit=NaN&offset=NaN',
  'limit=1e999&offset=99999999999999999999999',
  'limit=0x10&offset=1.5',
  'limit=1&limit=2&limit=3',
  `from=${MARK}&to=${MARK}`,
  'from=2026-13-45T99:99:99Z&to=2026-02-30',
  'from=-271821-04-20T00:00:00Z&to=%2B275760-09-13T00:00:00Z',
  'from=2030-01-01&to=2020-01-01&granularity=hour',
  `campaignId=${MARK}&from=2020-01-01&to=2020-01-02&granularity=${MARK}&by=${MARK}`,
  `status=${MARK}&kind=${MARK}&sort=${MARK}&dueBefore=${MARK}&action=${MARK}&before=-1`,
  `q=${'%'}&q=${MARK}${'y'.repeat(3000)}`,
  `zone=%&kw=${MARK}${',k'.repeat(1500)}`,
  `zone=${MARK}&zone=x&kw=%00%FF`,
  `customerId=${MARK}&siteId=${MARK}&campaignId=${MARK}&format=${MARK}&email=${MARK}`,
  '%=%&=&&&a',
];

interface Answer {
  status: number;
  type: string;
  text: string;
  /** Whether the answer set a cookie. */
  setsCookie?: boolean;
}

interface Route {
  method: string;
  /** With `:id` where an id goes. */
  path: string;
  listener: Listener;
  body?: boolean;
}

type Listener = 'admin' | 'delivery' | 'portal';
const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT']);

/** The routes of every listener (CONTRACT.md plus the route files; the portal's JSON routes from their table). */
const ROUTES: Route[] = [
  ...([
    ['GET', '/healthz'],
    ['HEAD', '/healthz'],
    ['GET', '/v1/decision'],
    ['GET', '/v1/zone/:id'],
    ['GET', '/v1/zone/:id/frame'],
    ['GET', '/v1/imp/:id'],
    ['GET', '/v1/click/:id'],
    ['GET', '/v1/view/:id'],
    ['GET', '/v1/tag.js'],
    ['GET', '/v1/assets/:id'],
    ['HEAD', '/v1/assets/:id'],
    ['OPTIONS', '/v1/decisions'],
    ['POST', '/v1/decisions'],
    ['OPTIONS', '/v1/contact'],
    ['POST', '/v1/contact'],
    ['GET', '/v1/:id'],
  ] as const).map(([method, path]) => ({ method, path, listener: 'delivery' as const, body: method === 'POST' })),
  ...([
    ['GET', '/api/health'],
    ['GET', '/api/config'],
    ['GET', '/api/server-info'],
    ['GET', '/api/setup'],
    ['POST', '/api/setup'],
    ['POST', '/api/session'],
    ['DELETE', '/api/session'],
    ['GET', '/api/me'],
    ['GET', '/api/users'],
    ['GET', '/api/users/:id'],
    ['POST', '/api/users'],
    ['PATCH', '/api/users/:id'],
    ['DELETE', '/api/users/:id/totp'],
    ['GET', '/api/settings/security'],
    ['PUT', '/api/settings/security'],
    ['POST', '/api/me/totp'],
    ['POST', '/api/me/totp/confirm'],
    ['DELETE', '/api/me/totp'],
    ['GET', '/api/customers'],
    ['GET', '/api/customers/:id'],
    ['POST', '/api/customers'],
    ['PATCH', '/api/customers/:id'],
    ['POST', '/api/customers/:id/deletion'],
    ['GET', '/api/customers/:id/records'],
    ['PUT', '/api/customers/:id/records'],
    ['GET', '/api/customers/:id/export'],
    ['GET', '/api/customers/:id/totals'],
    // The month is the second parameter: the sweep's ids go into the customer id, bad months into the id's place below.
    ['GET', '/api/customers/:id/statements/:id'],
    ['POST', '/api/customers/:id/portal-invitations'],
    ['GET', '/api/customers/:id/portal-users'],
    ['PATCH', '/api/portal-users/:id'],
    ['DELETE', '/api/portal-users/:id'],
    ['DELETE', '/api/portal-invitations/:id'],
    ['GET', '/api/sites'],
    ['GET', '/api/sites/:id'],
    ['POST', '/api/sites'],
    ['PATCH', '/api/sites/:id'],
    ['POST', '/api/sites/:id/archive'],
    ['POST', '/api/sites/:id/restore'],
    ['GET', '/api/sites/:id/statements/:id'],
    ['GET', '/api/zones'],
    ['GET', '/api/zones/:id'],
    ['POST', '/api/zones'],
    ['PATCH', '/api/zones/:id'],
    ['POST', '/api/zones/:id/archive'],
    ['POST', '/api/zones/:id/restore'],
    ['GET', '/api/campaigns'],
    ['GET', '/api/campaigns/:id'],
    ['POST', '/api/campaigns'],
    ['PATCH', '/api/campaigns/:id'],
    ['POST', '/api/campaigns/:id/duplicate'],
    ['POST', '/api/campaigns/:id/archive'],
    ['POST', '/api/campaigns/:id/restore'],
    ['POST', '/api/campaigns/bulk'],
    ['GET', '/api/campaigns/:id/prices'],
    ['POST', '/api/campaigns/:id/prices'],
    ['GET', '/api/campaigns/delivery-check'],
    ['GET', '/api/campaigns/:id/delivery-check'],
    ['GET', '/api/zones/:id/delivery-check'],
    ['GET', '/api/zones/:id/preview'],
    ['POST', '/api/forecast'],
    ['GET', '/api/assets'],
    ['GET', '/api/assets/:id'],
    ['GET', '/api/assets/:id/content'],
    ['POST', '/api/assets'],
    ['GET', '/api/creatives'],
    ['GET', '/api/creatives/:id'],
    ['POST', '/api/creatives'],
    ['POST', '/api/creatives/:id/archive'],
    ['POST', '/api/creatives/:id/restore'],
    ['PATCH', '/api/creatives/:id'],
    ['GET', '/api/stats'],
    ['GET', '/api/stats/summary'],
    ['GET', '/api/keys'],
    ['GET', '/api/keys/status'],
    ['POST', '/api/keys/ceremony'],
    ['GET', '/api/approvers'],
    ['POST', '/api/approvers/enrolment'],
    ['POST', '/api/delivery/token-key/rotate'],
    ['GET', '/api/cases'],
    ['GET', '/api/cases/waiting-for-me'],
    ['POST', '/api/cases'],
    ['GET', '/api/cases/:id'],
    ['POST', '/api/cases/:id/customer-involvement'],
    ['GET', '/api/cases/:id/shares/mine'],
    ['POST', '/api/cases/:id/approvals'],
    ['GET', '/api/cases/:id/records'],
    ['GET', '/api/cases/:id/export'],
    ['POST', '/api/cases/:id/close'],
    ['GET', '/api/requests'],
    ['GET', '/api/requests/export'],
    ['GET', '/api/requests/:id'],
    ['PATCH', '/api/requests/:id'],
    ['POST', '/api/requests/:id/forward'],
    ['GET', '/api/setup-progress'],
    ['GET', '/api/audit'],
    ['GET', '/api/audit/verify'],
    ['GET', '/api/:id'],
    ['DELETE', '/api/customers/:id'],
  ] as const).map(([method, path]) => ({ method, path, listener: 'admin' as const, body: BODY_METHODS.has(method) })),
  ...Object.keys(PORTAL_ROUTES).map((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return { method, path, listener: 'portal' as const, body: BODY_METHODS.has(method) };
  }),
  ...['/pages.css', '/pages-icon.svg', ...Object.values(PAGE_PATHS).flatMap((p) => [p.de, p.en])].flatMap((path) => [
    { method: 'GET', path, listener: 'portal' as const },
    { method: 'HEAD', path, listener: 'portal' as const },
  ]),
  ...[PAGE_PATHS.contact.de, PAGE_PATHS.contact.en].map((path) => ({ method: 'POST', path, listener: 'portal' as const, body: true })),
];

let app: TestApp;
let admin: AdminClient;
let customer: PortalClient;
let cat: SeededCatalog;
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** Sends a request with the path exactly as given (no URL normalisation). */
function send(listener: Listener, method: string, path: string, body?: string | Buffer, type?: string): Promise<Answer> {
  const base = new URL(listener === 'admin' ? app.adminUrl : listener === 'portal' ? app.portalUrl! : app.deliveryUrl);
  const headers: Record<string, string> = { 'x-requested-with': 'creative-engine' };
  if (listener === 'admin' && admin.cookie) headers.cookie = admin.cookie;
  // The customer user stays signed in throughout: signing out is swept without the cookie.
  if (listener === 'portal' && !(method === 'DELETE' && path.startsWith('/portal-api/session'))) headers.cookie = customer.cookie;
  if (type) headers['content-type'] = type;
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8'), setsCookie: res.headers['set-cookie'] !== undefined }));
      res.on('error', reject);
    });
    // The server may refuse an oversized body before reading it and close the connection.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? resolve({ status: 413, type: 'reset', text: '' }) : reject(new Error(`${method} ${path}: ${err.message}`))));
    req.end(body);
  });
}

/** Problems with one answer (empty when it is acceptable). */
function problems(route: Route, path: string, answer: Answer): string[] {
  const found: string[] = [];
  const where = `${route.method} ${path.slice(0, 120)}`;
  if (answer.status >= 500 || answer.status < 100) found.push(`${where}: status ${answer.status} ${answer.text.slice(0, 200)}`);
  // Delivery and the public pages never set a cookie, whatever they are sent.
  const cookieFree = route.listener === 'delivery' || (route.listener === 'portal' && !route.path.startsWith('/portal-api/'));
  if (cookieFree && answer.setsCookie) found.push(`${where}: sets a cookie`);
  if (answer.status >= 400 && answer.type !== 'reset') {
    if ((route.listener === 'admin' || route.path.startsWith('/portal-api/')) && route.method !== 'HEAD') {
      let body: { error?: { code?: unknown; message?: unknown } } | undefined;
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = undefined;
      }
      if (!/^application\/json/.test(answer.type) || typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') {
        found.push(`${where}: error is not {error:{code,message}} JSON: ${answer.status} ${answer.type} ${answer.text.slice(0, 120)}`);
      }
    }
    if (answer.text.toLowerCase().includes(MARK)) found.push(`${where}: answer echoes the input: ${answer.text.slice(0, 200)}`);
  }
  return found;
}

describe('no route answers 5xx to malformed input', () => {
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    app = await startTestApp();
    admin = await signInAs(app, 'admin');
    cat = await seedCatalog(admin);
    customer = (await createPortalUser(app, admin, cat.advertiser.id)).client;
    const contact = await fetch(`${app.deliveryUrl}/v1/contact`, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE },
      body: JSON.stringify({ name: 'Robin Tester', email: 'robin@example.org', message: 'Please tell me what you store.' }),
    });
    const request = (await contact.json()) as { id: string };
    expect(contact.status).toBe(202);
    Object.assign(ids, {
      users: admin.user!.id,
      // Its own customer: the sweep restricts it (POST …/deletion), which must not lock out the portal user's.
      customers: expectStatus(await admin.post('/api/customers', { name: 'Sweep target', email: 'sweep@example.org' }), 201).id as string,
      sites: cat.site.id,
      zones: cat.zones[0]!.id,
      campaigns: cat.campaign.id,
      creatives: cat.creatives[0]!.id,
      requests: request.id,
      assets: (expectStatus(await admin.get('/api/assets'), 200) as { items: Array<{ id: string }> }).items[0]!.id,
    });
  }, 20_000);

  afterAll(async () => {
    agent.destroy();
    await app?.dispose();
  });

  /** The real id for a route's `:id` (so body and query checks reach the handler), or a made-up one. */
  const realPath = (route: Route) => {
    const collection = route.path.split('/')[2]!;
    const id = route.path.startsWith('/v1/zone/') ? `${cat.zones[0]!.id}${route.path.endsWith(':id') ? '.js' : ''}` : ids[collection] ?? 'unknown_0';
    return route.path.replace(':id', id);
  };

  it('answers malformed and unknown ids in path parameters with 4xx', async () => {
    const found: string[] = [];
    for (const route of ROUTES.filter((r) => r.path.includes(':id'))) {
      for (const id of BAD_IDS) {
        const path = route.path.replace(':id', id);
        const answer = await send(route.listener, route.method, path, route.body ? '{}' : undefined, route.body ? JSON_TYPE : undefined);
        found.push(...problems(route, path, answer));
        if (answer.status < 400 && !(route.method === 'OPTIONS')) found.push(`${route.method} ${path.slice(0, 120)}: bad id accepted with ${answer.status}`);
      }
    }
    expect(found).toEqual([]);
  }, 20_000);

  it('answers bad bodies and content types with 4xx', async () => {
    const found: string[] = [];
    for (const route of ROUTES.filter((r) => r.body)) {
      const path = realPath(route);
      for (const [label, body, type] of BAD_BODIES) {
        const answer = await send(route.listener, route.method, path, body, type);
        found.push(...problems(route, `${path} [${label}]`, answer));
      }
    }
    expect(found).toEqual([]);
  }, 20_000);

  it('answers bad query values with 4xx or the documented success', async () => {
    const found: string[] = [];
    for (const route of ROUTES.filter((r) => r.method === 'GET')) {
      for (const query of BAD_QUERIES) {
        const path = `${realPath(route)}?${query}`;
        found.push(...problems(route, path, await send(route.listener, 'GET', path)));
      }
    }
    expect(found).toEqual([]);
  }, 20_000);

  it('covers every route the app registers (a new route cannot escape the sweep)', () => {
    const swept = new Set(ROUTES.map((r) => `${r.listener} ${r.method} ${r.path}`));
    const registered = [
      ...app.routes.delivery.map((r) => ({ listener: 'delivery', ...r })),
      ...app.routes.admin.map((r) => ({ listener: 'admin', ...r })),
      ...app.routes.portal.map((r) => ({ listener: 'portal', ...r })),
    ].map((r) => `${r.listener} ${r.method} ${r.path.replace(/:\w+/g, ':id')}`);
    expect(registered.filter((r) => !swept.has(r))).toEqual([]);
  });

  it('still serves the admin and portal sessions afterwards', async () => {
    expect((await admin.get('/api/me')).status).toBe(200);
    const me = await customer.get('/portal-api/me');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
  });
});
