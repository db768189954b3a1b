import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminCallError, approvalDialogOptions, approvedByDialog, createAdminCall, fetchInstallationId, type SessionFetch } from './admin-call';

const ID = `ins_${'a'.repeat(32)}`;
let server: http.Server;
let origin: string;
const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/server-info') return res.end(JSON.stringify({ installationId: ID, name: 'A', version: '1' }));
      if (req.url === '/api/redirect') return res.writeHead(302, { location: 'http://example.com/' }).end();
      if (req.headers.cookie !== 'sid=s1') return res.writeHead(401).end(JSON.stringify({ error: { code: 'unauthenticated', message: 'Sign in.' } }));
      if (req.url === '/api/cases/c1/approvals') return res.writeHead(201).end(JSON.stringify({ ok: true, got: JSON.parse(body) as unknown }));
      res.writeHead(404).end('not json');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

// Stands in for the window session's fetch: Node's fetch plus the session cookie.
const sessionFetch: SessionFetch = (url, init) => fetch(url, { ...init, headers: { ...init.headers, cookie: 'sid=s1' } });

describe('createAdminCall over real HTTP', () => {
  it('sends JSON with the CSRF header and the session, and returns the parsed answer', async () => {
    const call = createAdminCall(sessionFetch, () => origin);
    await expect(call('POST', '/api/cases/c1/approvals', { share: 'x' })).resolves.toEqual({ ok: true, got: { share: 'x' } });
    const last = seen.at(-1)!;
    expect(last.headers['x-requested-with']).toBe('creative-engine');
    expect(last.headers['content-type']).toBe('application/json');
    await expect(fetchInstallationId(call)).resolves.toBe(ID);
    expect(seen.at(-1)!.headers['x-requested-with']).toBeUndefined();
  });
  it('throws the server’s code and message, and refuses non-JSON, redirects and foreign paths', async () => {
    const call = createAdminCall((url, init) => fetch(url, init), () => origin);
    const err = (await call('GET', '/api/me').catch((e: unknown) => e)) as AdminCallError;
    expect(err).toBeInstanceOf(AdminCallError);
    expect(err).toMatchObject({ status: 401, code: 'unauthenticated', message: 'Sign in.' });
    await expect(createAdminCall(sessionFetch, () => origin)('GET', '/api/nothing')).rejects.toThrow(/404 without JSON/);
    await expect(call('GET', '/api/redirect')).rejects.toThrow(/could not be reached/);
    const before = seen.length;
    for (const p of ['/other', 'http://evil.example/api/x', '/api/../x', '//evil.example/api/']) {
      await expect(call('GET', p)).rejects.toThrow(/Not an admin API path/);
    }
    expect(seen.length).toBe(before);
  });
  it('follows the active origin and refuses when none', async () => {
    let active: string | null = null;
    const call = createAdminCall(sessionFetch, () => active);
    await expect(call('GET', '/api/server-info')).rejects.toThrow(/Not connected/);
    active = origin;
    await expect(fetchInstallationId(call)).resolves.toBe(ID);
  });
});

describe('approval dialog', () => {
  it('defaults to Cancel and approves only on the Approve button', () => {
    const o = approvalDialogOptions('Case 12: zone z1, 2026-11-01 to 2026-11-02');
    expect(o.buttons[o.defaultId]).toBe('Cancel');
    expect(o.buttons[o.cancelId]).toBe('Cancel');
    expect(approvedByDialog(o.buttons.indexOf('Approve'))).toBe(true);
    expect(approvedByDialog(o.cancelId)).toBe(false);
    expect(approvalDialogOptions('x'.repeat(5000)).detail).toHaveLength(2000);
  });
});
