import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, createTestUser, signIn, signInAs, TEST_PASSWORD } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let clock = Date.parse('2025-03-01T10:00:00Z');
beforeAll(async () => {
  app = await startTestApp({}, { now: () => new Date(clock) });
});
afterAll(() => app.dispose());

const hours = (h: number) => h * 60 * 60 * 1000;
const sessionRows = () => app.ctx.db.prepare('SELECT * FROM sessions').all() as Array<{ id_hash: string; user_id: string }>;

describe('sign-in and sign-out', () => {
  it('sets an HttpOnly, SameSite=Strict cookie holding only a random id, stored hashed', async () => {
    const user = await createTestUser(app, { roles: ['analyst'], name: 'Ana Lyst' });
    const res = await anonymousClient(app).post('/api/session', { email: user.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: user.id, email: user.email, name: 'Ana Lyst', roles: ['analyst'], totp: { enabled: false, required: false, recoveryCodesLeft: 0 } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(cookie).not.toContain('Secure');
    const token = cookie.slice(4, 47);
    const rows = sessionRows().filter((r) => r.user_id === user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(sessionRows())).not.toContain(token);
  });

  it('answers /api/me for a session and 401 without or with a forged cookie', async () => {
    const client = await signInAs(app, ['manager', 'analyst']);
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.roles).toEqual(['manager', 'analyst']);
    expect(me.body).not.toHaveProperty('passwordHash');
    const none = await anonymousClient(app).get('/api/me');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    const forged = anonymousClient(app);
    forged.cookie = `sid=${'A'.repeat(43)}`;
    expect((await forged.get('/api/me')).status).toBe(401);
    forged.cookie = 'sid=../../etc; other=1';
    expect((await forged.get('/api/me')).status).toBe(401);
  });

  it('logs out: 204, row deleted, cookie cleared; the old cookie no longer works', async () => {
    const client = await signInAs(app, 'analyst');
    const before = sessionRows().length;
    const noHeader = await client.delete('/api/session', { omitCsrfHeader: true });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('csrf_header_missing');
    const res = await client.delete('/api/session');
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBe('sid=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
    expect(sessionRows().length).toBe(before - 1);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await client.delete('/api/session')).status).toBe(401);
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const user = await createTestUser(app, { roles: ['analyst'] });
    const anon = anonymousClient(app);
    const unknown = await anon.post('/api/session', { email: 'nobody@test.invalid', password: 'whatever-it-is' });
    const wrong = await anon.post('/api/session', { email: user.email, password: 'wrong password!' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.error.message).toBe('The e-mail address or password is wrong.');
  });

  it('audits logins, failures and logouts without e-mail addresses', async () => {
    const user = await createTestUser(app, { roles: ['reviewer'] });
    await anonymousClient(app).post('/api/session', { email: user.email, password: 'not the password' });
    const client = await signIn(app, user.email, TEST_PASSWORD);
    await client.delete('/api/session');
    const entries = app.ctx.audit.list({ limit: 20 }).filter((e) => e.target === user.id);
    expect(entries.map((e) => e.action)).toEqual(['session.logout', 'session.login', 'session.login_failed']);
    expect(entries[2]!.details).toEqual({ reason: 'wrong_password' });
    expect(JSON.stringify(app.ctx.audit.list({ limit: 100 }))).not.toContain('@');
  });

  it('refuses bad bodies with clear 4xx answers', async () => {
    const anon = anonymousClient(app);
    const badJson = await anon.request('POST', '/api/session', { body: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    const wrongType = await anon.request('POST', '/api/session', { body: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(wrongType.status).toBe(415);
    const huge = await anon.post('/api/session', { email: 'a@b.c', password: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    const missing = await anon.post('/api/session', { email: 'a@b.c' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('password');
    const noCsrf = await anon.post('/api/session', { email: 'a@b.c', password: 'x' }, { omitCsrfHeader: true });
    expect(noCsrf.status).toBe(403);
  });
});

describe('session expiry', () => {
  it('ends a session after 2 h idle, and refreshes the idle clock on use', async () => {
    const client = await signInAs(app, 'analyst');
    clock += hours(1.5);
    expect((await client.get('/api/me')).status).toBe(200);
    clock += hours(1.5); // 3 h after sign-in, 1.5 h after the last request
    expect((await client.get('/api/me')).status).toBe(200);
    clock += hours(2) + 1000;
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('ends a session 12 h after sign-in however active it is', async () => {
    const client = await signInAs(app, 'analyst');
    for (let i = 0; i < 11; i++) {
      clock += hours(1);
      expect((await client.get('/api/me')).status).toBe(200);
    }
    clock += hours(1);
    expect((await client.get('/api/me')).status).toBe(401);
  });

  it('purges expired rows at the next sign-in', async () => {
    await signInAs(app, 'analyst');
    clock += hours(13);
    await signInAs(app, 'analyst');
    expect(sessionRows()).toHaveLength(1);
  });
});

describe('TLS', () => {
  it('adds Secure to the cookie when the listeners sit behind TLS', async () => {
    const tlsApp = await startTestApp({ tls: true });
    try {
      const user = await createTestUser(tlsApp, { roles: ['analyst'] });
      const res = await anonymousClient(tlsApp).post('/api/session', { email: user.email, password: TEST_PASSWORD });
      expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
    } finally {
      await tlsApp.dispose();
    }
  });
});
