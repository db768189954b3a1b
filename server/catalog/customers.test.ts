import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let manager: AdminClient;
let analyst: AdminClient;
const changes: string[] = [];
beforeAll(async () => {
  app = await startTestApp();
  app.ctx.events.on('data-changed', (change) => changes.push(change.what));
  manager = await signInAs(app, 'manager');
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

const acme = { name: 'ACME Ads', email: 'Ads@ACME.example', phone: '+49 30 123', contactPerson: 'Ann Example', kind: 'advertiser' };

describe('customers', () => {
  it('creates, reads, lists and searches customers', async () => {
    const res = await manager.post('/api/customers', acme);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...acme, email: 'ads@acme.example', address: null, notes: null, status: 'active', restrictedAt: null });
    expect(res.body.id).toMatch(/^cus_[a-z2-7]{16}$/);
    expect(changes).toContain('customer');
    await manager.post('/api/customers', { name: 'Bright Media 50%_off', email: 'hello@bright.example', kind: 'publisher' });
    await manager.post('/api/customers', { name: 'Third', email: 'third@example.com' });

    expect((await manager.get(`/api/customers/${res.body.id}`)).body).toEqual(res.body);
    // An analyst reads the business fields only (contact data: customer-contact.test.ts).
    const { email: _e, phone: _p, address: _a, contactPerson: _c, notes: _n, ...businessOnly } = res.body;
    expect((await analyst.get(`/api/customers/${res.body.id}`)).body).toEqual(businessOnly);
    const all = await analyst.get('/api/customers');
    expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.body.items[0].name).toBe('Third'); // newest first
    expect((await analyst.get('/api/customers?q=acme')).body.items.map((c: { name: string }) => c.name)).toEqual(['ACME Ads']);
    expect((await analyst.get('/api/customers?q=50%25_')).body.total).toBe(1); // wildcards are literal
    expect((await analyst.get('/api/customers?q=5%25%25')).body.total).toBe(0);
    expect((await analyst.get('/api/customers?kind=publisher')).body.total).toBe(1);
    const paged = await analyst.get('/api/customers?limit=2&offset=2');
    expect(paged.body.items).toHaveLength(1);
    expect((await analyst.get('/api/customers?limit=500')).status).toBe(400);
    expect((await analyst.get('/api/customers?kind=alien')).status).toBe(400);
  });

  it('patches only the given fields, null clears, and audits field names without values', async () => {
    const created = (await manager.post('/api/customers', { ...acme, name: 'Patch Me' })).body;
    const res = await manager.patch(`/api/customers/${created.id}`, { phone: null, notes: 'Pays on time', name: 'Patched' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Patched', phone: null, notes: 'Pays on time', email: 'ads@acme.example', contactPerson: 'Ann Example' });
    const entry = app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.update' })[0]!;
    expect(entry).toMatchObject({ action: 'customer.update', actor: manager.user!.id, target: created.id, details: { fields: ['name', 'phone', 'notes'] } });
    const create = app.ctx.audit.list({ limit: 50, actionPrefix: 'customer.create' }).find((e) => e.target === created.id)!;
    expect(create.details).toEqual({ fields: ['name', 'email', 'phone', 'contactPerson', 'kind'] });
    expect(JSON.stringify(app.ctx.audit.list({ limit: 100 }))).not.toMatch(/acme|Ann Example|\+49/i);
  });

  it('refuses read-only and unknown fields, and names invalid ones', async () => {
    const status = await manager.post('/api/customers', { ...acme, status: 'restricted' });
    expect(status.status).toBe(400);
    expect(status.body.error.message).toContain('status');
    const bad = await manager.post('/api/customers', { name: '', email: 'nope', kind: 'alien' });
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['email', 'kind', 'name']);
    expect(JSON.stringify(bad.body)).not.toContain('nope'); // input never echoed
    const created = (await manager.post('/api/customers', acme)).body;
    expect((await manager.patch(`/api/customers/${created.id}`, {})).status).toBe(400);
    expect((await manager.patch(`/api/customers/${created.id}`, { status: 'active' })).status).toBe(400);
  });

  it('answers 404 for unknown and malformed ids, never 5xx', async () => {
    for (const id of ['cus_aaaaaaaaaaaaaaaa', 'cus_', 'x', "cus_aaaaaaaaaaaaaaa'", 'zon_aaaaaaaaaaaaaaaa', 'a'.repeat(190)]) {
      expect((await analyst.get(`/api/customers/${encodeURIComponent(id)}`)).status).toBe(404);
      expect((await manager.patch(`/api/customers/${encodeURIComponent(id)}`, { name: 'x' })).status).toBe(404);
    }
  });

  it('enforces roles, session and CSRF header', async () => {
    expect((await analyst.post('/api/customers', acme)).status).toBe(403);
    for (const role of ['reviewer', 'management', 'dpo'] as const) {
      const client = await signInAs(app, role);
      expect((await client.get('/api/customers')).status).toBe(200);
      expect((await client.post('/api/customers', acme)).status).toBe(403);
    }
    const admin = await signInAs(app, 'admin');
    expect((await admin.post('/api/customers', acme)).status).toBe(201);
    expect((await anonymousClient(app).get('/api/customers')).status).toBe(401);
    const noHeader = await manager.post('/api/customers', acme, { omitCsrfHeader: true });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.error.code).toBe('csrf_header_missing');
  });

  it('refuses bad bodies: invalid JSON, wrong content-type, too large', async () => {
    const badJson = await manager.request('POST', '/api/customers', { body: '{"name": "x",', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error.code).toBe('invalid_json');
    const text = await manager.request('POST', '/api/customers', { body: 'name=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    const big = await manager.post('/api/customers', { ...acme, notes: 'n'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
    // The console states the limit in its own words: the number travels as a parameter.
    expect(big.body.error.params).toEqual({ limit: expect.any(Number) });
    const array = await manager.post('/api/customers', [acme]);
    expect(array.status).toBe(400);
  });

  it('locks a restricted customer against changes (423)', async () => {
    const created = (await manager.post('/api/customers', acme)).body;
    app.ctx.db.prepare("UPDATE customers SET status = 'restricted', restricted_at = ? WHERE id = ?").run(new Date().toISOString(), created.id);
    const res = await manager.patch(`/api/customers/${created.id}`, { name: 'Changed' });
    expect(res.status).toBe(423);
    expect(res.body.error.code).toBe('locked');
    expect((await analyst.get(`/api/customers/${created.id}`)).body.status).toBe('restricted');
  });
});
