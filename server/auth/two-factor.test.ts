import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlainText } from '../test/find-plain-text';
import { AdminClient, anonymousClient, createTestUser, signIn, signInAs, TEST_PASSWORD } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { totpCodeFor } from '../test/totp-fixture';
import { totpCode, totpStepAt } from './totp';

let app: TestApp;
let clock = Date.parse('2026-05-04T10:00:05Z');
beforeAll(async () => {
  app = await startTestApp({ trustProxy: ['127.0.0.1'] }, { now: () => new Date(clock) });
});
afterAll(() => app.dispose());

const STEP_MS = 30_000;
const codeNow = (secret: string) => totpCodeFor(secret, new Date(clock));
const nextStep = () => void (clock += STEP_MS);
const login = (email: string, totp?: string, address = '198.51.100.7') =>
  anonymousClient(app).post('/api/session', { email, password: TEST_PASSWORD, ...(totp === undefined ? {} : { totp }) }, { headers: { 'x-forwarded-for': address } });
const clientOf = (res: { headers: Headers; body: unknown }) => new AdminClient(app.adminUrl, (res.headers.get('set-cookie') ?? '').split(';')[0]!);
const auditOf = (target: string) => app.ctx.audit.list({ limit: 500 }).filter((e) => e.target === target);

/** Signs in a fresh user of `roles` without TOTP and enrols them over HTTP; returns their client, secret and recovery codes. */
async function enrolledUser(roles: Parameters<typeof createTestUser>[1]['roles']) {
  const user = await createTestUser(app, { roles, totp: false });
  const client = await signIn(app, user.email, TEST_PASSWORD);
  const { secret } = (await client.post('/api/me/totp')).body as { secret: string };
  const confirm = await client.post('/api/me/totp/confirm', { code: codeNow(secret) });
  expect(confirm.status).toBe(200);
  nextStep(); // the confirming step is used up
  return { user, client, secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
}

describe('enrolment', () => {
  it('starts an enrolment, replaces a pending one, turns on with the first code and shows the recovery codes once', async () => {
    const user = await createTestUser(app, { roles: ['analyst'] });
    const client = await signIn(app, user.email, TEST_PASSWORD);
    expect((await client.get('/api/me')).body.totp).toEqual({ enabled: false, required: false, recoveryCodesLeft: 0 });
    expect((await client.post('/api/me/totp/confirm', { code: '123456' })).status).toBe(409); // nothing pending

    const first = await client.post('/api/me/totp');
    expect(first.status).toBe(201);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(first.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Creative%20Engine%3A.+\?secret=[A-Z2-7]{32}&issuer=Creative\+Engine/);
    const second = await client.post('/api/me/totp');
    expect(second.body.secret).not.toBe(first.body.secret);
    expect((await client.get('/api/me')).body.totp.enabled).toBe(false); // pending, not active

    const stale = await client.post('/api/me/totp/confirm', { code: codeNow(first.body.secret) });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('totp_invalid');
    const confirm = await client.post('/api/me/totp/confirm', { code: codeNow(second.body.secret) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    for (const code of confirm.body.recoveryCodes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect((await client.get('/api/me')).body.totp).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    expect((await client.post('/api/me/totp')).status).toBe(409); // on: switch off first
    expect((await client.post('/api/me/totp/confirm', { code: codeNow(second.body.secret) })).status).toBe(409);

    // At rest: the secret encrypted, recovery codes hashed; neither in any file of the data directory.
    const row = app.ctx.db.prepare('SELECT secret FROM user_totp WHERE user_id = ?').get(user.id) as { secret: string };
    expect(row.secret).toMatch(/^ce1:/);
    app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findPlainText(app.dataDir, [second.body.secret, ...confirm.body.recoveryCodes, ...confirm.body.recoveryCodes.map((c: string) => c.replace('-', ''))])).toEqual([]);
    nextStep();
  });
});

describe('sign-in with a second factor', () => {
  it('asks for the code, refuses wrong and replayed ones, and takes a fresh one', async () => {
    const { user, secret } = await enrolledUser(['analyst']);
    const missing = await login(user.email);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('totp_required');
    expect(missing.headers.get('set-cookie')).toBeNull();
    const wrongPassword = await anonymousClient(app).post('/api/session', { email: user.email, password: 'not the password!', totp: codeNow(secret) });
    expect(wrongPassword.body.error.code).toBe('unauthenticated'); // the code is only looked at after the password
    const wrong = await login(user.email, codeNow(secret) === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('totp_invalid');

    const code = codeNow(secret);
    const ok = await login(user.email, code);
    expect(ok.status).toBe(200);
    expect(ok.body.totp).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });
    const replay = await login(user.email, code);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('totp_invalid');
    // The previous step's code is still inside the drift window but older than the accepted one: refused.
    expect((await login(user.email, totpCode(secret, totpStepAt(clock) - 1))).body.error.code).toBe('totp_invalid');
    nextStep();
    expect((await login(user.email, codeNow(secret))).status).toBe(200);

    const actions = auditOf(user.id).map((e) => e.action);
    expect(actions).toContain('totp.enrolment_started');
    expect(actions).toContain('totp.enrolled');
    const failures = auditOf(user.id).filter((e) => e.action === 'session.login_failed').map((e) => e.details);
    expect(failures).toContainEqual({ reason: 'totp_invalid' });
    nextStep();
  });

  it('accepts each recovery code once, in the same field', async () => {
    const { user, secret, recoveryCodes } = await enrolledUser(['analyst']);
    const ok = await login(user.email, recoveryCodes[0]!.toUpperCase());
    expect(ok.status).toBe(200);
    expect(ok.body.totp.recoveryCodesLeft).toBe(9);
    const again = await login(user.email, recoveryCodes[0]);
    expect(again.body.error.code).toBe('totp_invalid');
    expect((await login(user.email, recoveryCodes[1]!.replace('-', ''))).status).toBe(200);
    expect((await login(user.email, 'abcde-fghij')).body.error.code).toBe('totp_invalid');
    const used = auditOf(user.id).filter((e) => e.action === 'totp.recovery_code_used');
    expect(used.map((e) => e.details)).toEqual([{ left: 8 }, { left: 9 }]);
    // Nothing secret in the audit log.
    const log = JSON.stringify(app.ctx.audit.list({ limit: 1000 }));
    for (const value of [secret, ...recoveryCodes]) expect(log).not.toContain(value);
    nextStep();
  });

  it('counts wrong codes like wrong passwords: the account locks for this address, and asking without a code resets nothing', async () => {
    const { user, secret } = await enrolledUser(['analyst']);
    const wrongCode = codeNow(secret) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      expect((await login(user.email, wrongCode, '203.0.113.9')).body.error.code).toBe('totp_invalid');
      expect((await login(user.email, undefined, '203.0.113.9')).body.error.code).toBe('totp_required');
    }
    expect((await login(user.email, wrongCode, '203.0.113.9')).status).toBe(401);
    const locked = await login(user.email, codeNow(secret), '203.0.113.9');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_requests');
    clock += 60 * 60 * 1000;
    expect((await login(user.email, codeNow(secret), '203.0.113.9')).status).toBe(200);
    nextStep();
  });
});

describe('who must use it', () => {
  it('restricts management and DPO to enrolment until they have set it up, in the same session', async () => {
    for (const role of ['management', 'dpo'] as const) {
      const user = await createTestUser(app, { roles: [role], totp: false });
      const res = await login(user.email);
      expect(res.status).toBe(200);
      expect(res.body.totp).toEqual({ enabled: false, required: true, recoveryCodesLeft: 0 });
      const client = clientOf(res);
      const blocked = await client.get('/api/audit');
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('totp_enrolment_required');
      expect((await client.get('/api/customers')).body.error.code).toBe('totp_enrolment_required');
      expect((await client.get('/api/me')).status).toBe(200);
      const { secret } = (await client.post('/api/me/totp')).body;
      expect((await client.post('/api/me/totp/confirm', { code: codeNow(secret) })).status).toBe(200);
      expect((await client.get('/api/audit')).status).toBe(200);
      // Required for the role: it cannot be switched off.
      nextStep();
      const off = await client.delete('/api/me/totp', { json: { code: codeNow(secret) } });
      expect(off.status).toBe(409);
      expect(auditOf(user.id).map((e) => e.details)).toContainEqual({ secondFactor: false, totpEnrolmentDue: true });
    }
    nextStep();
  });

  it('requires it of everyone when an admin with two-factor sign-in says so (admin only), and lifts that again', async () => {
    const plainAdmin = await signInAs(app, 'admin');
    const admin = await signIn(app, (await createTestUser(app, { roles: ['admin'], totp: true })).email, TEST_PASSWORD);
    const analyst = await signInAs(app, 'analyst');
    expect((await admin.get('/api/settings/security')).body).toEqual({ totpRequiredForAll: false });
    expect((await analyst.request('PUT', '/api/settings/security', { json: { totpRequiredForAll: true } })).status).toBe(403);
    expect((await admin.request('PUT', '/api/settings/security', { json: { totpRequiredForAll: 'yes' } })).status).toBe(400);
    // An admin without it would lock themselves out of the setting: refused.
    expect((await plainAdmin.request('PUT', '/api/settings/security', { json: { totpRequiredForAll: true } })).status).toBe(409);
    const on = await admin.request('PUT', '/api/settings/security', { json: { totpRequiredForAll: true } });
    expect(on.body).toEqual({ totpRequiredForAll: true });
    expect((await analyst.get('/api/campaigns')).body.error.code).toBe('totp_enrolment_required');
    expect((await analyst.get('/api/me')).body.totp).toEqual({ enabled: false, required: true, recoveryCodesLeft: 0 });
    expect((await plainAdmin.get('/api/users')).body.error.code).toBe('totp_enrolment_required');
    expect((await plainAdmin.delete('/api/session')).status).toBe(204); // signing out stays open
    expect((await admin.get('/api/users')).status).toBe(200);
    expect((await admin.request('PUT', '/api/settings/security', { json: { totpRequiredForAll: false } })).body).toEqual({ totpRequiredForAll: false });
    expect((await analyst.get('/api/campaigns')).status).toBe(200);
    expect(app.ctx.audit.list({ limit: 20, actionPrefix: 'settings.' }).map((e) => e.details)).toEqual([{ totpRequiredForAll: false }, { totpRequiredForAll: true }]);
    nextStep();
  });
});

describe('switching it off and resetting it', () => {
  it('switches off with the current code or the password, never without', async () => {
    const { user, client, secret } = await enrolledUser(['analyst']);
    expect((await client.delete('/api/me/totp', { json: {} })).status).toBe(400);
    expect((await client.delete('/api/me/totp', { json: { password: 'not the password!' } })).status).toBe(401);
    const wrong = await client.delete('/api/me/totp', { json: { code: codeNow(secret) === '000000' ? '111111' : '000000' } });
    expect(wrong.body.error.code).toBe('totp_invalid');
    expect((await client.delete('/api/me/totp', { json: { code: codeNow(secret) } })).status).toBe(204);
    expect((await client.get('/api/me')).body.totp.enabled).toBe(false);
    expect((await login(user.email)).status).toBe(200);
    const again = await enrolledUser(['analyst']);
    expect((await again.client.delete('/api/me/totp', { json: { password: TEST_PASSWORD } })).status).toBe(204);
    expect(auditOf(user.id).map((e) => e.action)).toEqual(expect.arrayContaining(['totp.disabled', 'totp.disable_failed']));
  });

  it('lets an admin reset someone’s second factor, ending their sessions', async () => {
    const { user, secret } = await enrolledUser(['management']);
    const session = clientOf(await login(user.email, codeNow(secret)));
    expect((await session.get('/api/audit')).status).toBe(200);
    const admin = await signInAs(app, 'admin');
    expect((await session.request('DELETE', `/api/users/${user.id}/totp`)).status).toBe(403);
    expect((await admin.request('DELETE', '/api/users/usr_nobody/totp')).status).toBe(404);
    expect((await admin.request('DELETE', `/api/users/${user.id}/totp`)).status).toBe(204);
    expect((await session.get('/api/me')).status).toBe(401);
    const fresh = await login(user.email);
    expect(fresh.status).toBe(200); // no code any more; enrolment is due again
    expect(fresh.body.totp).toEqual({ enabled: false, required: true, recoveryCodesLeft: 0 });
    expect(auditOf(user.id).filter((e) => e.action === 'totp.reset').map((e) => ({ actor: e.actor, details: e.details }))).toEqual([{ actor: admin.user!.id, details: { hadTotp: true } }]);
  });
});
