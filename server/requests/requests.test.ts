import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { requestDeadline } from './deadline';

let app: TestApp;
let dpo: AdminClient;
let clock = new Date('2025-03-10T09:00:00Z');
let net = 0;
/** Each test submits from its own /24 (through the trusted loopback proxy), so the rate limit does not interfere. */
const freshAddress = () => `198.51.${++net}.7`;

const submit = (body: unknown, options: { ip?: string; headers?: Record<string, string>; raw?: string | Uint8Array } = {}) =>
  fetch(`${app.deliveryUrl}/v1/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': options.ip ?? freshAddress(), ...options.headers },
    body: options.raw ?? JSON.stringify(body),
  });
const count = () => app.ctx.db.prepare('SELECT COUNT(*) FROM requests').pluck().get() as number;
const VALID = { name: 'Erika Mustermann', email: 'Erika.Mustermann@example.org', message: 'Please tell me what you store about me.', kind: 'access' };

beforeAll(async () => {
  app = await startTestApp({ trustProxy: ['127.0.0.1'], privacy: { retention: { requestDays: { erasure: 30 } } } }, { now: () => clock });
});
/** Moves the test clock; sessions expire when it jumps, so sign in afresh. */
const setClock = async (at: string) => {
  clock = new Date(at);
  dpo = await signInAs(app, 'dpo');
};
afterAll(() => app.dispose());

describe('POST /v1/contact', () => {
  it('stores a submission encrypted and answers 202 with its id, with CORS headers', async () => {
    const res = await submit(VALID);
    expect(res.status).toBe(202);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^req_[a-z2-7]{16}$/);
    const row = app.ctx.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, string>;
    for (const col of ['name_enc', 'email_enc', 'message_enc']) {
      expect(row[col]).toMatch(/^ce1:/);
      expect(row[col]).not.toMatch(/Erika|example\.org|store about/);
    }
    expect(row.submitter_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.due_at).toBe(requestDeadline(clock).toISOString());
    const entry = app.ctx.audit.list({ limit: 1, actionPrefix: 'request.receive' })[0]!;
    expect(entry.target).toBe(id);
    expect(JSON.stringify(entry.details)).not.toMatch(/Erika|example/);
  });

  it('answers the CORS preflight', async () => {
    const res = await fetch(`${app.deliveryUrl}/v1/contact`, { method: 'OPTIONS', headers: { origin: 'https://publisher.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('refuses invalid, oversized and random submissions with a 4xx and stores nothing', async () => {
    const before = count();
    const cases: Array<[number, Promise<Response>]> = [
      [400, submit({ ...VALID, email: 'not-an-address' })],
      [400, submit({ ...VALID, name: '' })],
      [400, submit({ name: 'A', email: 'a@example.org' })],
      [400, submit({ ...VALID, extra: 'field' })],
      [400, submit({ ...VALID, kind: 'complaint' })],
      [400, submit({ ...VALID, customerId: "1' OR '1'='1" })],
      [400, submit({ ...VALID, message: 'x'.repeat(5001) })],
      [400, submit([VALID])],
      [400, submit(null, { raw: '{"name": "unterminated' })],
      [400, submit(null, { raw: new Uint8Array(Array.from({ length: 2000 }, () => Math.floor(Math.random() * 256))) })],
      [413, submit(null, { raw: JSON.stringify({ ...VALID, message: 'y'.repeat(9000) }) })],
      [415, submit(VALID, { headers: { 'content-type': 'text/plain' } })],
    ];
    for (const [status, pending] of cases) {
      const res = await pending;
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.message).not.toContain('Erika');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect(count()).toBe(before);
  });

  it('drops an unknown customer id instead of revealing which ids exist', async () => {
    const res = await submit({ ...VALID, customerId: 'cus_aaaaaaaaaaaaaaaa' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(app.ctx.db.prepare('SELECT customer_id FROM requests WHERE id = ?').pluck().get(id)).toBeNull();
  });

  it('rate-limits per /24 prefix: 5 attempts per 10 minutes, then 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await submit(i === 2 ? { bad: true } : VALID, { ip: `203.0.113.${10 + i}` })).status);
    expect(statuses).toEqual([202, 202, 400, 202, 202, 429]);
    const limited = await submit(VALID, { ip: '203.0.113.99' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await submit(VALID, { ip: '203.0.114.1' })).status).toBe(202);
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await submit(VALID, { ip: '203.0.113.50' })).status).toBe(202);
  });
});

describe('requests admin API', () => {
  it('lets only the DPO and admins in', async () => {
    await setClock('2025-03-30T08:00:00Z');
    expect((await anonymousClient(app).get('/api/requests')).status).toBe(401);
    for (const role of ['manager', 'analyst', 'reviewer', 'management'] as const) {
      expect((await (await signInAs(app, role)).get('/api/requests')).status).toBe(403);
    }
    expect((await (await signInAs(app, 'admin')).get('/api/requests')).status).toBe(200);
  });

  it('lists by deadline with filters and shows one request decrypted (audited)', async () => {
    await setClock('2025-04-01T08:00:00Z');
    const early = ((await (await submit({ ...VALID, kind: 'erasure', name: 'Early Bird' })).json()) as { id: string }).id;
    await setClock('2025-04-20T08:00:00Z');
    const late = ((await (await submit({ ...VALID, kind: 'contact', name: 'Late Comer' })).json()) as { id: string }).id;
    const list = await dpo.get('/api/requests?dueBefore=2025-05-30T00:00:00Z&sort=due');
    expect(list.status).toBe(200);
    const ids = list.body.items.map((r: { id: string }) => r.id);
    expect(ids.indexOf(early)).toBeLessThan(ids.indexOf(late));
    expect(list.body.items.every((r: { dueAt: string }) => r.dueAt < '2025-05-30')).toBe(true);
    const erasures = await dpo.get('/api/requests?kind=erasure&status=open');
    expect(erasures.body.items.map((r: { id: string }) => r.id)).toEqual([early]);
    expect((await dpo.get('/api/requests?status=bogus')).status).toBe(400);

    const one = await dpo.get(`/api/requests/${late}`);
    expect(one.body).toMatchObject({ id: late, name: 'Late Comer', email: VALID.email, message: VALID.message, status: 'open', kind: 'contact', personalData: 'present', dueAt: '2025-05-20T23:59:59.999Z' });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'request.view' })[0]!.target).toBe(late);
    expect((await dpo.get('/api/requests/req_aaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await dpo.get('/api/requests/nonsense')).status).toBe(404);
  });

  it('updates status, kind, reply and note; closing wipes the personal data (audited)', async () => {
    const id = ((await (await submit(VALID)).json()) as { id: string }).id;
    const upd = await dpo.patch(`/api/requests/${id}`, { status: 'in_progress', kind: 'rectification', reply: 'We corrected it.', note: 'called back' });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ status: 'in_progress', kind: 'rectification', reply: 'We corrected it.', note: 'called back' });
    const stored = app.ctx.db.prepare('SELECT reply_enc, note_enc FROM requests WHERE id = ?').get(id) as Record<string, string>;
    expect(stored.reply_enc).toMatch(/^ce1:/);
    expect(stored.note_enc).not.toContain('called');
    expect((await dpo.patch(`/api/requests/${id}`, {})).status).toBe(400);
    expect((await dpo.patch(`/api/requests/${id}`, { status: 'done' })).status).toBe(400);

    const closed = await dpo.patch(`/api/requests/${id}`, { status: 'closed' });
    expect(closed.body).toMatchObject({ status: 'closed', personalData: 'erased', name: null, email: null, message: null, reply: null, note: null });
    const row = app.ctx.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, unknown>;
    for (const col of ['name_enc', 'email_enc', 'message_enc', 'reply_enc', 'note_enc', 'submitter_hash']) expect(row[col]).toBeNull();
    expect(row.kind).toBe('rectification');
    const actions = app.ctx.audit.list({ limit: 5, actionPrefix: 'request.' }).filter((e) => e.target === id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['request.update', 'request.close', 'request.erase']));
    expect((await dpo.patch(`/api/requests/${id}`, { note: 'again' })).status).toBe(409);
  });

  it('keeps a closed request restricted while its retention runs, then erases it on schedule', async () => {
    const id = ((await (await submit({ ...VALID, kind: 'erasure', email: 'keep.me@example.org' })).json()) as { id: string }).id;
    const closedAt = clock;
    const closed = await dpo.patch(`/api/requests/${id}`, { status: 'closed' });
    expect(closed.body).toMatchObject({ personalData: 'restricted', name: null, email: null, retainUntil: new Date(closedAt.getTime() + 30 * 86_400_000).toISOString() });
    // The data subject's own access still finds it while it is kept.
    const exp = await dpo.get('/api/requests/export?email=KEEP.ME@example.org');
    expect(exp.body.requests.map((r: { id: string; name: string }) => [r.id, r.name])).toEqual([[id, VALID.name]]);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'request.export' })[0]!.details).toEqual({ requests: 1, customers: 0 });

    const { runRetention } = await import('../retention/retention-runner');
    const run = async (at: Date) =>
      ((await runRetention({ db: app.ctx.db, config: app.ctx.config, log: app.ctx.log, audit: app.ctx.audit, actor: 'system' }, at)).details.erasedRequests as string[]).length;
    expect(await run(new Date(closedAt.getTime() + 30 * 86_400_000 - 1))).toBe(0);
    expect(app.ctx.db.prepare('SELECT personal_data FROM requests WHERE id = ?').pluck().get(id)).toBe('restricted');
    expect(await run(new Date(closedAt.getTime() + 30 * 86_400_000))).toBe(1);
    expect((await dpo.get(`/api/requests/${id}`)).body).toMatchObject({ personalData: 'erased', status: 'closed', kind: 'erasure' });
    expect((await dpo.get('/api/requests/export?email=keep.me@example.org')).body.requests).toEqual([]);
    expect((await dpo.get('/api/requests/export?email=nope')).status).toBe(400);
    expect(app.ctx.audit.verify().ok).toBe(true);
  });
});
