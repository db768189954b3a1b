import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signIn, signInAs, TEST_PASSWORD, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let admin: AdminClient;
beforeAll(async () => {
  app = await startTestApp();
  admin = await signInAs(app, 'admin');
});
afterAll(() => app.dispose());

const newUser = (over: Record<string, unknown> = {}) => ({ email: 'Mia.Manager@Agency.Example', name: 'Mia Manager', password: 'manager password 1', roles: ['manager'], ...over });

describe('staff accounts', () => {
  it('is for admins only', async () => {
    const manager = await signInAs(app, 'manager');
    expect((await manager.get('/api/users')).status).toBe(403);
    expect((await manager.post('/api/users', newUser())).status).toBe(403);
    expect((await anonymousClient(app).get('/api/users')).status).toBe(401);
  });

  it('creates accounts with normalised e-mails, refuses duplicates and lists them paged and searchable', async () => {
    const res = await admin.post('/api/users', newUser());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: 'mia.manager@agency.example', name: 'Mia Manager', roles: ['manager'], disabled: false });
    expect(res.body).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(res.body)).not.toContain('manager password');
    const dup = await admin.post('/api/users', newUser({ email: 'MIA.manager@agency.example' }));
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe('An account with this e-mail address already exists.');

    const search = await admin.get('/api/users?q=mia');
    expect(search.body.total).toBe(1);
    expect(search.body.items[0].id).toBe(res.body.id);
    const page = await admin.get('/api/users?limit=1&offset=1');
    expect(page.body).toMatchObject({ limit: 1, offset: 1 });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(3);
    expect((await admin.get('/api/users?limit=0')).status).toBe(400);
    expect((await admin.get(`/api/users/${res.body.id}`)).body.email).toBe('mia.manager@agency.example');
    const audit = app.ctx.audit.list({ limit: 5, actionPrefix: 'user.' })[0]!;
    expect(audit).toMatchObject({ action: 'user.create', target: res.body.id, details: { fields: ['email', 'name', 'password', 'roles'], roles: ['manager'] } });
  });

  it('names the fields that fail validation', async () => {
    const short = await admin.post('/api/users', newUser({ email: 'x@agency.example', password: 'short' }));
    expect(short.status).toBe(400);
    expect(short.body.error.details.map((d: { path: string }) => d.path)).toEqual(['password']);
    const badRole = await admin.post('/api/users', newUser({ email: 'y@agency.example', roles: ['superuser'] }));
    expect(badRole.body.error.details[0].path).toBe('roles.0');
    const badEmail = await admin.post('/api/users', newUser({ email: 'not-an-email' }));
    expect(badEmail.body.error.message).toContain('email');
    const extra = await admin.post('/api/users', newUser({ email: 'z@agency.example', isAdmin: true }));
    expect(extra.status).toBe(400);
    expect((await admin.post('/api/users', newUser({ email: 'w@agency.example', password: 'p'.repeat(201) }))).status).toBe(400);
  });

  it('answers unknown and malformed ids with 404', async () => {
    expect((await admin.patch('/api/users/usr_aaaaaaaaaaaaaaaa', { name: 'X' })).status).toBe(404);
    expect((await admin.patch('/api/users/not-an-id', { name: 'X' })).status).toBe(404);
    expect((await admin.get('/api/users/%00%ff')).status).toBe(404);
    expect((await admin.patch(`/api/users/${admin.user!.id}`, {})).status).toBe(400);
  });

  it('ends a user\'s sessions when their roles or password change, and on disabling', async () => {
    const created = (await admin.post('/api/users', newUser({ email: 'rita@agency.example', roles: ['analyst'] }))).body;
    const rita = await signIn(app, 'rita@agency.example', 'manager password 1');
    expect((await rita.get('/api/me')).status).toBe(200);

    expect((await admin.patch(`/api/users/${created.id}`, { name: 'Rita R.' })).status).toBe(200);
    expect((await rita.get('/api/me')).body.name).toBe('Rita R.'); // a name change keeps the session

    const promoted = await admin.patch(`/api/users/${created.id}`, { roles: ['analyst', 'manager'] });
    expect(promoted.body.roles).toEqual(['analyst', 'manager']);
    expect((await rita.get('/api/me')).status).toBe(401);

    const rita2 = await signIn(app, 'rita@agency.example', 'manager password 1');
    await admin.patch(`/api/users/${created.id}`, { password: 'a brand new password' });
    expect((await rita2.get('/api/me')).status).toBe(401);
    expect((await anonymousClient(app).post('/api/session', { email: 'rita@agency.example', password: 'manager password 1' })).status).toBe(401);

    const rita3 = await signIn(app, 'rita@agency.example', 'a brand new password');
    const disabled = await admin.patch(`/api/users/${created.id}`, { disabled: true });
    expect(disabled.body.disabled).toBe(true);
    expect((await rita3.get('/api/me')).status).toBe(401);
    const refused = await anonymousClient(app).post('/api/session', { email: 'rita@agency.example', password: 'a brand new password' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('disabled');

    const updates = app.ctx.audit.list({ limit: 10, actionPrefix: 'user.update' }).map((e) => e.details);
    expect(updates.slice(0, 4)).toEqual([{ fields: ['disabled'] }, { fields: ['password'] }, { fields: ['roles'], roles: ['analyst', 'manager'] }, { fields: ['name'] }]);
  });

  it('keeps a disabled user out even with a session created before the flag was set in the store', async () => {
    const victim = await signInAs(app, 'analyst');
    app.ctx.db.prepare('UPDATE users SET disabled = 1 WHERE id = ?').run(victim.user!.id);
    expect((await victim.get('/api/me')).status).toBe(401);
  });

  it('does not let an admin lock themselves out', async () => {
    const self = admin.user!.id;
    const demote = await admin.patch(`/api/users/${self}`, { roles: ['manager'] });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toContain('own admin role');
    const disable = await admin.patch(`/api/users/${self}`, { disabled: true });
    expect(disable.status).toBe(409);
    // Changing one's own password keeps the current session but ends the others.
    const otherSession = await signIn(app, admin.user!.email, TEST_PASSWORD);
    expect((await admin.patch(`/api/users/${self}`, { password: 'my new admin password' })).status).toBe(200);
    expect((await admin.get('/api/me')).status).toBe(200);
    expect((await otherSession.get('/api/me')).status).toBe(401);
  });
});
