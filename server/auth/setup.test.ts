import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminClient, anonymousClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { isLoopback } from './client-address';

let app: TestApp | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const admin = { email: 'First.Admin@Agency.Example', name: 'First Admin', password: 'a long enough password' };

/** A non-loopback IPv4 address of this machine, if it has one. */
const externalIpv4 = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('first-run setup', () => {
  it('creates the first admin from this machine, signs them in, and then closes', async () => {
    app = await startTestApp();
    const anon = anonymousClient(app);
    expect((await anon.get('/api/setup')).body).toEqual({ needsSetup: true, canSetupHere: true });
    expect((await anon.post('/api/setup', admin, { omitCsrfHeader: true })).status).toBe(403);
    const weak = await anon.post('/api/setup', { ...admin, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details[0].path).toBe('password');
    expect(weak.body.error.message).toContain('at least 12 characters');

    const res = await anon.post('/api/setup', admin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'first.admin@agency.example', name: 'First Admin', roles: ['admin'] });
    expect(res.body.id).toMatch(/^usr_[a-z2-7]{16}$/);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const client = new AdminClient(app.adminUrl, cookie);
    expect((await client.get('/api/me')).body.id).toBe(res.body.id);

    expect((await anon.get('/api/setup')).body.needsSetup).toBe(false);
    const again = await anon.post('/api/setup', { ...admin, email: 'second@agency.example' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('Setup is already done');
    expect(app.ctx.audit.list({ limit: 10 }).map((e) => e.action).filter((a) => /^(user|session)\./.test(a))).toEqual(['session.login', 'user.create']);
  });

  it('lets only one of two simultaneous setups win', async () => {
    app = await startTestApp();
    const anon = anonymousClient(app);
    const answers = await Promise.all([anon.post('/api/setup', admin), anon.post('/api/setup', { ...admin, email: 'other@agency.example' })]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it.skipIf(!externalIpv4)('refuses setup from another machine (request over a non-loopback interface)', async () => {
    // Beyond loopback the admin API needs TLS: declared proxy mode here, so plain HTTP reaches it.
    app = await startTestApp({ admin: { host: '0.0.0.0', port: 0 }, tls: true });
    const port = new URL(app.adminUrl).port;
    const remote = new AdminClient(`http://${externalIpv4}:${port}`);
    expect((await remote.get('/api/setup')).body).toEqual({ needsSetup: true, canSetupHere: false });
    const res = await remote.post('/api/setup', admin);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('creative-engine init');
  });

  it('recognises loopback addresses only', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', 'fe80::1', '', undefined, '127.0.0.1.evil']) expect(isLoopback(a)).toBe(false);
  });
});
