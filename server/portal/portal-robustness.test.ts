/**
 * Robustness of every portal API route (whatever feature registered it): malformed bodies, content
 * types and path ids, sent by a signed-in customer user. None may answer 5xx; every error is
 * `{error:{code,message}}` JSON and none echoes what was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_API_PREFIX } from '../../common/portal-access';
import { signInAs } from '../test/admin-client';
import { createPortalUser, type PortalClient } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

const MARK = 'zzq';
const JSON_TYPE = 'application/json';
const BAD_BODIES: Array<[string, string, string | undefined]> = [
  ['not json', `{${MARK}`, JSON_TYPE],
  ['empty', '', JSON_TYPE],
  ['array', `["${MARK}"]`, JSON_TYPE],
  ['null', 'null', JSON_TYPE],
  ['proto', `{"__proto__":{"admin":true},"constructor":{"prototype":{"${MARK}":1}}}`, JSON_TYPE],
  ['wrong types', JSON.stringify({ token: [MARK], password: { [MARK]: 1 }, email: 1e308, totp: null, code: [MARK], currentPassword: 5, newPassword: false }), JSON_TYPE],
  ['long strings', JSON.stringify({ token: `${MARK}${'x'.repeat(5000)}`, password: `${MARK}${'x'.repeat(5000)}`, email: `${MARK}@${'x'.repeat(300)}.example` }), JSON_TYPE],
  ['unknown keys', JSON.stringify({ [`${MARK}<b>`]: 1 }), JSON_TYPE],
  ['oversized', `{"token":"${MARK}${'x'.repeat(1024 * 1024)}"}`, JSON_TYPE],
  ['text/plain', `{"token":"${MARK}"}`, 'text/plain'],
  ['no type', `{"token":"${MARK}"}`, undefined],
];
const BAD_IDS = ['%', '%zz', '..', `${MARK}${'x'.repeat(300)}`, `${MARK}%00`, `%FF%FE${MARK}`, 'cus_aaaaaaaaaaaaaaaa', '-1'];

let app: TestApp;
let customer: PortalClient;

beforeAll(async () => {
  app = await startTestApp();
  const manager = await signInAs(app, 'manager');
  const created = await manager.post('/api/customers', { name: 'Robust GmbH', email: 'info@robust.example' });
  customer = (await createPortalUser(app, manager, created.body.id as string)).client;
}, 20_000);
afterAll(() => app?.dispose());

async function send(method: string, path: string, body?: string, type?: string): Promise<{ status: number; type: string; text: string }> {
  const headers: Record<string, string> = { 'x-requested-with': 'creative-engine', cookie: customer.cookie };
  if (type) headers['content-type'] = type;
  try {
    const res = await fetch(`${app.portalUrl}${path}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  } catch {
    // The server may refuse an oversized body before reading it and close the connection.
    return { status: 413, type: 'reset', text: '' };
  }
}

function problems(where: string, a: { status: number; type: string; text: string }): string[] {
  const found: string[] = [];
  if (a.status >= 500) found.push(`${where}: ${a.status} ${a.text.slice(0, 200)}`);
  if (a.status >= 400 && a.type !== 'reset') {
    let body: { error?: { code?: unknown; message?: unknown } } | undefined;
    try {
      body = JSON.parse(a.text);
    } catch {
      body = undefined;
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') found.push(`${where}: not {error:{code,message}}: ${a.text.slice(0, 120)}`);
    if (a.text.toLowerCase().includes(MARK)) found.push(`${where}: echoes the input: ${a.text.slice(0, 200)}`);
  }
  return found;
}

describe('every portal API route', () => {
  // Signing out would end the session the other calls use: it goes last.
  const routes = () =>
    app.routes.portal
      .filter((r) => r.path.startsWith(PORTAL_API_PREFIX) && r.method !== 'HEAD')
      .sort((a, b) => Number(a.path === '/portal-api/session' && a.method === 'DELETE') - Number(b.path === '/portal-api/session' && b.method === 'DELETE'));

  it('answers malformed bodies and path ids with 4xx JSON that echoes nothing', async () => {
    const found: string[] = [];
    const list = routes();
    expect(list.length).toBeGreaterThanOrEqual(10);
    for (const route of list) {
      const takesBody = route.method !== 'GET' && route.method !== 'DELETE';
      if (route.path.includes(':id')) {
        for (const id of BAD_IDS) {
          const path = route.path.replace(':id', id);
          const a = await send(route.method, path, takesBody ? '{}' : undefined, takesBody ? JSON_TYPE : undefined);
          found.push(...problems(`${route.method} ${path.slice(0, 80)}`, a));
          if (a.status < 400) found.push(`${route.method} ${path.slice(0, 80)}: bad id accepted with ${a.status}`);
        }
      }
      if (!takesBody && route.method !== 'DELETE') continue;
      for (const [label, body, type] of BAD_BODIES) {
        const path = route.path.replace(':id', 'x1');
        found.push(...problems(`${route.method} ${path} (${label})`, await send(route.method, path, body, type)));
      }
    }
    expect(found).toEqual([]);
  }, 60_000);
});
