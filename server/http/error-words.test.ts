import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

// The console words errors by code and params (common/error-codes.ts) and field problems by the
// zod issue's kind and check key (common/field-issue.ts): these are what the API must send for it.
let app: TestApp;
let admin: AdminClient;
let manager: AdminClient;

beforeAll(async () => {
  app = await startTestApp();
  admin = await signInAs(app, 'admin');
  manager = await signInAs(app, 'manager');
});
afterAll(() => app?.dispose());

describe('field details', () => {
  it('carry the issue kind, its numbers and the check key, never the input', async () => {
    const res = await manager.post('/api/sites', { customerId: 'cus_nothere', name: '', domain: 'https://shop.example/path' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const byPath = Object.fromEntries((res.body.error.details as Array<{ path: string }>).map((d) => [d.path, d]));
    expect(byPath.domain).toMatchObject({ code: 'custom', params: { key: 'domain' }, message: expect.stringMatching(/domain like/) });
    expect(byPath.name).toMatchObject({ code: 'too_small', params: { minimum: 1, origin: 'string' } });
    expect(JSON.stringify(res.body)).not.toContain('shop.example/path');
  });

  it('name the limits by number and the format by name', async () => {
    const res = await manager.post('/api/customers', { name: 'x'.repeat(201), email: 'not-an-address' });
    expect(res.status).toBe(400);
    const byPath = Object.fromEntries((res.body.error.details as Array<{ path: string }>).map((d) => [d.path, d]));
    expect(byPath.name).toMatchObject({ code: 'too_big', params: { maximum: 200, origin: 'string' } });
    expect(byPath.email).toMatchObject({ code: 'invalid_format', params: { format: 'email' } });
  });
});

describe('specific error codes', () => {
  it('says what was refused instead of a bare conflict', async () => {
    const self = await admin.patch(`/api/users/${admin.user!.id}`, { roles: ['manager'] });
    expect([self.status, self.body.error.code]).toEqual([409, 'own_admin_role']);
    const disable = await admin.patch(`/api/users/${admin.user!.id}`, { disabled: true });
    expect([disable.status, disable.body.error.code]).toEqual([409, 'own_account_disabled']);
    const off = await manager.request('DELETE', '/api/me/totp', { json: { password: 'whatever it is' } });
    expect([off.status, off.body.error.code]).toEqual([409, 'totp_not_on']);
    const confirm = await manager.post('/api/me/totp/confirm', { code: '123456' });
    expect([confirm.status, confirm.body.error.code]).toEqual([409, 'totp_not_pending']);
    const setup = await anonymousClient(app).post('/api/setup', { email: 'late@example.test', name: 'Late', password: 'a long enough password' });
    expect([setup.status, setup.body.error.code]).toEqual([409, 'setup_done']);
  });

  it('sends the numbers the console fills in as params', async () => {
    const res = await admin.post('/api/keys/ceremony', { approvers: [admin.user!.id, manager.user!.id], threshold: 2 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ceremony_approver_role', params: { name: expect.any(String) } });
  });
});
