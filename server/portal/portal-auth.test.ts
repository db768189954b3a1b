/**
 * Customer portal accounts over real HTTP against the real server: invitation → password → sign-in
 * → TOTP → recovery code; refused invitations; the listeners and cookies kept apart; disabling,
 * removal, deletion request and erasure end sessions; audit entries; no plaintext e-mail on disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ROUTES } from '../../common/portal-access';
import { CustomerErasureRepo } from '../privacy/customer-erasure-repo';
import { PortalInvitationRepo } from './portal-invitation-repo';
import { signInAs, TEST_PASSWORD, type AdminClient } from '../test/admin-client';
import { findPlainText } from '../test/find-plain-text';
import { acceptInvitation, createPortalUser, invitePortalUser, portalClient, portalRequest, signInPortal } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import { totpCodeFor, waitForFreshTotpCode } from '../test/totp-fixture';

let app: TestApp;
let manager: AdminClient;
let clock = Date.now();
const now = () => new Date(clock);

async function newCustomer(name = `Kunde ${Math.random().toString(36).slice(2, 7)}`): Promise<string> {
  const res = await manager.post('/api/customers', { name, email: `office-${Math.random().toString(36).slice(2, 7)}@kunde.example` });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

const auditOf = (action: string) => app.ctx.db.prepare('SELECT actor, target, details FROM audit_log WHERE action = ? ORDER BY seq').all(action) as Array<{ actor: string; target: string | null; details: string }>;

beforeAll(async () => {
  app = await startTestApp({}, { now });
  manager = await signInAs(app, 'manager');
});
afterAll(() => app?.dispose());

describe('invitation, password, sign-in and two-factor sign-in', () => {
  it('walks the whole flow', async () => {
    const customerId = await newCustomer('Bäckerei Sonnenschein');
    const email = 'Erika.Muster@Baeckerei.example';
    const invited = await invitePortalUser(app, manager, customerId, email);
    expect(invited.invitationUrl.startsWith(`${app.portalUrl}/#/invite/`)).toBe(true);
    expect(invited.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const check = await portalRequest(app, 'POST', '/portal-api/invitations/check', { token: invited.token });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ customerName: 'Bäckerei Sonnenschein', email: 'erika.muster@baeckerei.example' });

    // The staff password rules apply.
    const short = await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token: invited.token, password: 'short' });
    expect(short.status).toBe(400);

    const accepted = await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token: invited.token, password: TEST_PASSWORD });
    expect(accepted.status).toBe(201);
    const setCookie = accepted.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^psid=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\//);
    expect(accepted.body.user).toMatchObject({ email: 'erika.muster@baeckerei.example', customerId, customerName: 'Bäckerei Sonnenschein', totpEnabled: false });
    const first = portalClient(app, setCookie.split(';')[0]!);
    const me = await first.get('/portal-api/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: accepted.body.user.id, email: 'erika.muster@baeckerei.example', customerId, customerName: 'Bäckerei Sonnenschein', totpEnabled: false, recoveryCodesLeft: 0 });

    // Sign out, then in again (any case of the address).
    expect((await first.delete('/portal-api/session')).status).toBe(204);
    expect((await first.get('/portal-api/me')).status).toBe(401);
    const client = await signInPortal(app, 'ERIKA.muster@baeckerei.example', TEST_PASSWORD);
    expect((await client.get('/portal-api/me')).status).toBe(200);

    // Two-factor sign-in: enrol, confirm, then sign-in needs a code.
    expect((await client.get('/portal-api/me/totp')).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const start = await client.post('/portal-api/me/totp');
    expect(start.status).toBe(201);
    expect(start.body.otpauthUri).toContain('otpauth://totp/');
    const secret = start.body.secret as string;
    const near = [-30_000, 0, 30_000].map((d) => totpCodeFor(secret, new Date(clock + d)));
    expect((await client.post('/portal-api/me/totp/confirm', { code: ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c)) })).status).toBe(401);
    const { code } = await waitForFreshTotpCode(secret, null, now);
    const confirm = await client.post('/portal-api/me/totp/confirm', { code });
    expect(confirm.status).toBe(200);
    const recoveryCodes = confirm.body.recoveryCodes as string[];
    expect(recoveryCodes).toHaveLength(10);
    expect((await client.get('/portal-api/me')).body).toMatchObject({ totpEnabled: true, recoveryCodesLeft: 10 });

    const noCode = await portalRequest(app, 'POST', '/portal-api/session', { email, password: TEST_PASSWORD });
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.code).toBe('totp_required');
    const wrongCode = await portalRequest(app, 'POST', '/portal-api/session', { email, password: TEST_PASSWORD, totp: code });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.body.error.code).toBe('totp_invalid'); // the confirmation's step cannot be replayed
    clock += 30_000;
    const fresh = await waitForFreshTotpCode(secret, Math.floor(clock / 30_000) - 1, now);
    const withCode = await signInPortal(app, email, TEST_PASSWORD, fresh.code);
    expect((await withCode.get('/portal-api/me')).status).toBe(200);

    // A recovery code works once.
    const withRecovery = await signInPortal(app, email, TEST_PASSWORD, recoveryCodes[0]);
    expect((await withRecovery.get('/portal-api/me')).body.recoveryCodesLeft).toBe(9);
    const again = await portalRequest(app, 'POST', '/portal-api/session', { email, password: TEST_PASSWORD, totp: recoveryCodes[0] });
    expect(again.body.error.code).toBe('totp_invalid');

    // Switching it off needs the password (or a code).
    expect((await withRecovery.delete('/portal-api/me/totp', { password: 'wrong password!' })).status).toBe(401);
    expect((await withRecovery.delete('/portal-api/me/totp', { password: TEST_PASSWORD })).status).toBe(204);
    expect((await withRecovery.get('/portal-api/me/totp')).body).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    await signInPortal(app, email, TEST_PASSWORD);

    // Audited with portal actors; no e-mail address in the audit log.
    const userId = accepted.body.user.id as string;
    expect(auditOf('portal.invitation_created').some((e) => e.target === invited.id && e.actor === manager.user!.id)).toBe(true);
    expect(auditOf('portal.invitation_accepted').some((e) => e.actor === `portal:${userId}`)).toBe(true);
    expect(auditOf('portal.login').filter((e) => e.actor === `portal:${userId}`).length).toBeGreaterThanOrEqual(4);
    expect(auditOf('portal.login_failed').some((e) => e.actor === `portal:${userId}` && JSON.parse(e.details).reason === 'totp_invalid')).toBe(true);
    expect(auditOf('portal.totp.enrolled').some((e) => e.actor === `portal:${userId}`)).toBe(true);
    expect(auditOf('portal.totp.recovery_code_used').some((e) => e.actor === `portal:${userId}`)).toBe(true);
    expect(auditOf('portal.logout').some((e) => e.actor === `portal:${userId}`)).toBe(true);
    const audit = JSON.stringify(app.ctx.db.prepare('SELECT * FROM audit_log').all());
    expect(audit).not.toContain('baeckerei.example');
  });

  it('changes the password and ends the other sessions', async () => {
    const customerId = await newCustomer();
    const { client, email, password } = await createPortalUser(app, manager, customerId);
    const other = await signInPortal(app, email, password);
    expect((await client.put('/portal-api/me/password', { currentPassword: 'not the password', newPassword: 'a new long password 1' })).status).toBe(401);
    expect((await client.put('/portal-api/me/password', { currentPassword: password, newPassword: 'short' })).status).toBe(400);
    expect((await client.put('/portal-api/me/password', { currentPassword: password, newPassword: 'a new long password 1' })).status).toBe(204);
    expect((await client.get('/portal-api/me')).status).toBe(200);
    expect((await other.get('/portal-api/me')).status).toBe(401);
    expect((await portalRequest(app, 'POST', '/portal-api/session', { email, password })).status).toBe(401);
    await signInPortal(app, email, 'a new long password 1');
  });
});

describe('invitations that cannot be used', () => {
  const refused = async (token: string) => {
    const check = await portalRequest(app, 'POST', '/portal-api/invitations/check', { token });
    const accept = await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token, password: TEST_PASSWORD });
    return [check.status, check.body.error?.code, accept.status, accept.body.error?.code];
  };
  const INVALID = [404, 'invitation_invalid', 404, 'invitation_invalid'];

  it('refuses a reused, forged, revoked or expired link with one answer', async () => {
    const customerId = await newCustomer();
    const used = await invitePortalUser(app, manager, customerId, 'used@kunde.example');
    await acceptInvitation(app, used.token, TEST_PASSWORD);
    expect(await refused(used.token)).toEqual(INVALID);

    const forged = `${used.token.slice(0, -4)}AAAA`;
    expect(await refused(forged)).toEqual(INVALID);
    expect(await refused('x')).toEqual(INVALID);

    const revoked = await invitePortalUser(app, manager, customerId, 'revoked@kunde.example');
    const list = await manager.get(`/api/customers/${customerId}/portal-users`);
    expect(list.body.invitations.map((i: { id: string }) => i.id)).toContain(revoked.id);
    expect((await manager.delete(`/api/portal-invitations/${revoked.id}`)).status).toBe(204);
    expect((await manager.delete(`/api/portal-invitations/${revoked.id}`)).status).toBe(409);
    expect(await refused(revoked.token)).toEqual(INVALID);
    expect(auditOf('portal.invitation_revoked').some((e) => e.target === revoked.id)).toBe(true);

    const expiring = await invitePortalUser(app, manager, customerId, 'late@kunde.example');
    clock += 7 * 24 * 60 * 60 * 1000 - 1000;
    expect((await portalRequest(app, 'POST', '/portal-api/invitations/check', { token: expiring.token })).status).toBe(200);
    clock += 2000;
    expect(await refused(expiring.token)).toEqual(INVALID);
    manager = await signInAs(app, 'manager'); // the week ended the staff session too
    const open = await manager.get(`/api/customers/${customerId}/portal-users`);
    expect(open.body.invitations).toEqual([]);
    expect(open.body.users.map((u: { email: string }) => u.email)).toEqual(['used@kunde.example']);

    // Closed invitations are purged (the timer's work, run here directly); their links answer as before.
    const invitationsOf = () => app.ctx.db.prepare('SELECT COUNT(*) FROM portal_invitations WHERE customer_id = ?').pluck().get(customerId);
    expect(invitationsOf()).toBe(3);
    const pending = await invitePortalUser(app, manager, customerId, 'pending@kunde.example');
    expect(new PortalInvitationRepo(app.ctx.db, app.services.privacy.cipher).purgeClosed(now())).toBeGreaterThanOrEqual(3);
    expect(invitationsOf()).toBe(1);
    for (const token of [used.token, revoked.token, expiring.token]) expect(await refused(token)).toEqual(INVALID);
    expect((await portalRequest(app, 'POST', '/portal-api/invitations/check', { token: pending.token })).status).toBe(200);
  });

  it('refuses a second account for an address and invitations to unknown or restricted customers', async () => {
    const a = await newCustomer();
    const b = await newCustomer();
    const { email } = await createPortalUser(app, manager, a);
    expect((await manager.post(`/api/customers/${b}/portal-invitations`, { email })).status).toBe(409);
    // Invited twice before either was accepted: the second acceptance is refused.
    const one = await invitePortalUser(app, manager, a, 'twice@kunde.example');
    const two = await invitePortalUser(app, manager, b, 'twice@kunde.example');
    await acceptInvitation(app, one.token, TEST_PASSWORD);
    expect((await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token: two.token, password: TEST_PASSWORD })).status).toBe(409);

    expect((await manager.post('/api/customers/cus_aaaaaaaaaaaaaaaa/portal-invitations', { email: 'x@kunde.example' })).status).toBe(404);
    expect((await manager.post(`/api/customers/${b}/deletion`)).status).toBe(200);
    expect((await manager.post(`/api/customers/${b}/portal-invitations`, { email: 'y@kunde.example' })).status).toBe(409);
  });

  it('lets only admins and managers manage portal users', async () => {
    const customerId = await newCustomer();
    const analyst = await signInAs(app, 'analyst');
    expect((await analyst.post(`/api/customers/${customerId}/portal-invitations`, { email: 'z@kunde.example' })).status).toBe(403);
    expect((await analyst.get(`/api/customers/${customerId}/portal-users`)).status).toBe(403);
  });
});

describe('throttling', () => {
  it('slows down repeated wrong passwords for an account', async () => {
    const customerId = await newCustomer();
    const { email, password } = await createPortalUser(app, manager, customerId);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await portalRequest(app, 'POST', '/portal-api/session', { email, password: `wrong password ${i}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses).toContain(429);
    const locked = await portalRequest(app, 'POST', '/portal-api/session', { email, password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Unknown accounts are throttled alike (no oracle).
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) unknown.push((await portalRequest(app, 'POST', '/portal-api/session', { email: 'nobody@kunde.example', password: `wrong password ${i}` })).status);
    expect(unknown).toContain(429);
    clock += 60 * 60 * 1000;
    await signInPortal(app, email, password);
    expect(auditOf('portal.login_failed').some((e) => JSON.parse(e.details).reason === 'unknown_account' && e.actor === 'anonymous')).toBe(true);
  });
});

describe('the listeners and cookies are kept apart', () => {
  it('refuses a staff cookie on every customer portal route and a portal cookie on the admin API', async () => {
    const customerId = await newCustomer();
    const { client } = await createPortalUser(app, manager, customerId);
    const staffAsPortal = portalClient(app, manager.cookie!);
    // The same id under the portal's cookie name is unknown to the portal too.
    const staffIdAsPsid = portalClient(app, manager.cookie!.replace(/^sid=/, 'psid='));
    const wrong: string[] = [];
    for (const [route, rule] of Object.entries(PORTAL_ROUTES)) {
      if (rule !== 'customer') continue;
      const [method, path] = route.split(' ') as [string, string];
      for (const c of [staffAsPortal, staffIdAsPsid]) {
        const res = await portalRequest(app, method, path.replace(':id', 'x1'), method === 'GET' ? undefined : {}, c.cookie);
        if (res.status !== 401) wrong.push(`${route}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    const asAdmin = await fetch(`${app.adminUrl}/api/me`, { headers: { cookie: client.cookie } });
    expect(asAdmin.status).toBe(401);
    const psidAsSid = await fetch(`${app.adminUrl}/api/me`, { headers: { cookie: client.cookie.replace(/^psid=/, 'sid=') } });
    expect(psidAsSid.status).toBe(401);
  });

  it('answers /api/ on the portal listener and /portal-api/ on the admin listener with 404', async () => {
    const onPortal = await fetch(`${app.portalUrl}/api/me`, { headers: { cookie: manager.cookie! } });
    expect(onPortal.status).toBe(404);
    expect((await fetch(`${app.portalUrl}/api/session`, { method: 'POST', headers: { 'x-requested-with': 'creative-engine' } })).status).toBe(404);
    const onAdmin = await fetch(`${app.adminUrl}/portal-api/me`);
    expect(onAdmin.status).toBe(404);
    expect((await fetch(`${app.adminUrl}/portal-api/session`, { method: 'POST', headers: { 'x-requested-with': 'creative-engine' } })).status).toBe(404);
    expect((await fetch(`${app.deliveryUrl}/portal-api/me`)).status).toBe(404);
  });

  it('registers every route of the table and needs the CSRF header on every state change, signed in or not', async () => {
    const registered = new Set(app.routes.portal.map((r) => `${r.method} ${r.path}`));
    expect(Object.keys(PORTAL_ROUTES).filter((route) => !registered.has(route))).toEqual([]);
    const { client } = await createPortalUser(app, manager, await newCustomer());
    const wrong: string[] = [];
    for (const route of Object.keys(PORTAL_ROUTES)) {
      const [method, path] = route.split(' ') as [string, string];
      if (method === 'GET') continue;
      const res = await fetch(`${app.portalUrl}${path.replace(':id', 'x1')}`, { method, headers: { 'content-type': 'application/json', cookie: client.cookie }, body: '{}' });
      const body = (await res.json()) as { error?: { code?: string } };
      if (res.status !== 403 || body.error?.code !== 'csrf_header_missing') wrong.push(`${route}: ${res.status} ${body.error?.code}`);
    }
    expect(wrong).toEqual([]);
    expect((await client.get('/portal-api/me')).status).toBe(200);
  });
});

describe('what ends a session', () => {
  it('disabling ends sessions and refuses sign-in with 403 until enabled again', async () => {
    const customerId = await newCustomer();
    const { client, email, password, userId } = await createPortalUser(app, manager, customerId);
    const patched = await manager.patch(`/api/portal-users/${userId}`, { disabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: userId, disabled: true });
    expect((await client.get('/portal-api/me')).status).toBe(401);
    const refused = await portalRequest(app, 'POST', '/portal-api/session', { email, password });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('account_disabled');
    expect((await manager.patch(`/api/portal-users/${userId}`, { disabled: false })).status).toBe(200);
    await signInPortal(app, email, password);
    expect(auditOf('portal.user_disabled').some((e) => e.target === userId)).toBe(true);
    expect(auditOf('portal.user_enabled').some((e) => e.target === userId)).toBe(true);
  });

  it('removal ends sessions and the account', async () => {
    const customerId = await newCustomer();
    const { client, email, password, userId } = await createPortalUser(app, manager, customerId);
    expect((await manager.delete(`/api/portal-users/${userId}`)).status).toBe(204);
    expect((await manager.delete(`/api/portal-users/${userId}`)).status).toBe(404);
    expect((await client.get('/portal-api/me')).status).toBe(401);
    expect((await portalRequest(app, 'POST', '/portal-api/session', { email, password })).status).toBe(401);
    expect((await manager.get(`/api/customers/${customerId}/portal-users`)).body.users).toEqual([]);
    expect(auditOf('portal.user_removed').some((e) => e.target === userId && e.actor === manager.user!.id)).toBe(true);
  });

  it('a deletion request locks the customer: sessions end, sign-in answers 403 portal_account_restricted', async () => {
    const customerId = await newCustomer();
    const { client, email, password, userId } = await createPortalUser(app, manager, customerId);
    expect((await manager.post(`/api/customers/${customerId}/deletion`)).status).toBe(200);
    expect((await client.get('/portal-api/me')).status).toBe(401);
    const refused = await portalRequest(app, 'POST', '/portal-api/session', { email, password });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('portal_account_restricted');
    expect(refused.body.error.message).toContain('deletion was requested');
    expect(auditOf('portal.login_failed').some((e) => e.actor === `portal:${userId}` && JSON.parse(e.details).reason === 'customer_restricted')).toBe(true);
  });

  it('erasure removes the customer’s portal users, invitations and sessions', async () => {
    const customerId = await newCustomer();
    const { client, email, password, userId } = await createPortalUser(app, manager, customerId);
    await invitePortalUser(app, manager, customerId, 'pending@kunde.example');
    const enrol = await client.post('/portal-api/me/totp');
    expect(enrol.status).toBe(201);
    const counts = new CustomerErasureRepo(app.ctx.db).erase(customerId);
    expect(counts).toMatchObject({ customers: 1, portalUsers: 1, portalSessions: 1, portalInvitations: 2 });
    const left = (table: string, where: string) => app.ctx.db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`).pluck().get(customerId);
    expect(left('portal_users', 'customer_id = ?')).toBe(0);
    expect(left('portal_invitations', 'customer_id = ?')).toBe(0);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM portal_sessions WHERE portal_user_id = ?').pluck().get(userId)).toBe(0);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM portal_user_totp WHERE user_id = ?').pluck().get(userId)).toBe(0);
    expect((await client.get('/portal-api/me')).status).toBe(401);
    expect((await portalRequest(app, 'POST', '/portal-api/session', { email, password })).status).toBe(401);
  });
});

describe('at rest', () => {
  it('keeps no portal e-mail address in plain text in the data directory', async () => {
    const customerId = await newCustomer();
    const addresses = ['klartext.kundin@geheim-portal.example', 'offene.einladung@geheim-portal.example'];
    await createPortalUser(app, manager, customerId, addresses[0]);
    await invitePortalUser(app, manager, customerId, addresses[1]!);
    app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findPlainText(app.dataDir, [...addresses, 'geheim-portal'])).toEqual([]);
    // The stored values are ciphertext, and the API still shows the addresses.
    const stored = app.ctx.db.prepare('SELECT email FROM portal_users WHERE customer_id = ?').pluck().all(customerId) as string[];
    expect(stored.every((v) => v.startsWith('ce1:'))).toBe(true);
    const list = await manager.get(`/api/customers/${customerId}/portal-users`);
    expect(list.body.users.map((u: { email: string }) => u.email)).toEqual([addresses[0]]);
    expect(list.body.invitations.map((i: { email: string }) => i.email)).toEqual([addresses[1]]);
  });
});
