import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.dispose());

describe('listeners', () => {
  it('answers /healthz on the delivery listener with security headers', async () => {
    const res = await fetch(`${app.deliveryUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('never serves the admin API on the delivery port', async () => {
    const res = await fetch(`${app.deliveryUrl}/api/health`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'No such endpoint.' } });
  });

  it('gives the admin listener a strict CSP and JSON 404/405 errors', async () => {
    const ok = await fetch(`${app.adminUrl}/api/health`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(ok.headers.get('x-frame-options')).toBe('DENY');
    const missing = await fetch(`${app.adminUrl}/api/nothing-here`);
    expect(missing.status).toBe(404);
    const wrongMethod = await fetch(`${app.adminUrl}/api/health`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('serves the console (or its placeholder) for client-side routes, never files outside it', async () => {
    const page = await fetch(`${app.adminUrl}/customers`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const traversal = await fetch(`${app.adminUrl}/..%2f..%2fetc%2fpasswd.txt`);
    expect(traversal.status).toBe(404);
  });

  it('answers a malformed request line with 400 and keeps serving', async () => {
    const raw = await new Promise<string>((resolve) => {
      const port = Number(new URL(app.deliveryUrl).port);
      const sock = net.connect(port, '127.0.0.1', () => sock.write('GARBAGE\r\n\r\n'));
      let data = '';
      sock.on('data', (d) => (data += d.toString()));
      sock.on('close', () => resolve(data));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${app.deliveryUrl}/healthz`)).status).toBe(200);
  });
});
