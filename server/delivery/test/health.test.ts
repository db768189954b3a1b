import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';

// /healthz for load balancers; the degraded answers (503 naming the cause) are shown where the
// causes are made: sealing/full-disk.test.ts and stats/test/flush-failure.test.ts.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.dispose());

describe('GET and HEAD /healthz', () => {
  it('answers HEAD like GET: the same status and headers, no body', async () => {
    const get = await fetch(`${app.deliveryUrl}/healthz`);
    expect([get.status, get.headers.get('content-type'), get.headers.get('content-length'), await get.text()]).toEqual([200, 'text/plain; charset=utf-8', '2', 'ok']);
    const head = await fetch(`${app.deliveryUrl}/healthz`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), head.headers.get('content-length'), head.headers.get('cache-control'), await head.text()])
      .toEqual([200, 'text/plain; charset=utf-8', '2', 'no-store', '']);
  });

  it('reports no problems on the admin listener while healthy', async () => {
    const res = await fetch(`${app.adminUrl}/api/health`);
    expect(await res.json()).toEqual({ ok: true });
  });
});
