import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/test-app';

const HEADERS = { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' };
let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function signedIn(a: TestApp): Promise<string> {
  const res = await fetch(`${a.adminUrl}/api/setup`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ email: 'ada@example.test', name: 'Ada', password: 'correct horse battery' }) });
  expect(res.status).toBe(201);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

describe('GET /api/config', () => {
  it('needs a session', async () => {
    app = await startTestApp();
    const res = await fetch(`${app.adminUrl}/api/config`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('names the delivery listener the ad tags point at and the operator time zone (Europe/Berlin by default)', async () => {
    app = await startTestApp();
    const res = await fetch(`${app.adminUrl}/api/config`, { headers: { cookie: await signedIn(app) } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deliveryBaseUrl: app.deliveryUrl, timeZone: 'Europe/Berlin' });
  });

  it('uses the configured public URL, without a trailing slash, and the configured time zone', async () => {
    app = await startTestApp({ publicUrl: 'https://ads.agency.example/', timeZone: 'America/New_York' });
    const res = await fetch(`${app.adminUrl}/api/config`, { headers: { cookie: await signedIn(app) } });
    expect(await res.json()).toEqual({ deliveryBaseUrl: 'https://ads.agency.example', timeZone: 'America/New_York' });
  });
});
