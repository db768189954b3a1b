import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditEntry, type AuditPage } from '../../common/schemas/audit';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { seedCatalog, type SeededCatalog } from '../test/catalog-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import { AuditLog } from './audit-log';

let app: TestApp;
let admin: AdminClient;
let manager: AdminClient;
let catalog: SeededCatalog;

const page = async (client: AdminClient, query: string) => {
  const res = await client.get(`/api/audit?${query}`);
  if (res.status !== 200) throw new Error(`GET /api/audit?${query}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AuditPage;
};
const actions = (p: AuditPage) => p.items.map((e) => e.action);

beforeAll(async () => {
  app = await startTestApp();
  admin = await signInAs(app, 'admin');
  manager = await signInAs(app, 'manager');
  catalog = await seedCatalog(manager);
  expect((await manager.patch(`/api/campaigns/${catalog.campaign.id}`, { name: 'Renamed campaign' })).status).toBe(200);
  // Three entries at known times in January (the rest are written now, in the test's year).
  const at = (iso: string) => new AuditLog(app.ctx.db, () => new Date(iso));
  at('2026-01-10T08:00:00Z').append({ actor: 'system', action: 'retention.run', details: {} });
  at('2026-01-11T08:00:00Z').append({ actor: 'system', action: 'retention.run', details: {} });
  at('2026-01-12T08:00:00Z').append({ actor: 'cli', action: 'backup.restore', details: {} });
});
afterAll(() => app?.dispose());

describe('GET /api/audit filters', () => {
  it('filters by person: only what that staff member did', async () => {
    const mine = await page(admin, `actor=${manager.user!.id}`);
    expect(mine.items.length).toBeGreaterThanOrEqual(7); // 2 customers, site, zone, campaign, asset, creative, update
    expect(new Set(mine.items.map((e) => e.actor))).toEqual(new Set([manager.user!.id]));
    expect((await page(admin, 'actor=cli')).items.map((e) => e.action)).toEqual(['backup.restore']);
  });

  it('filters by exact action and by action prefix', async () => {
    expect(actions(await page(admin, 'action=campaign.update'))).toEqual(['campaign.update']);
    const customers = await page(admin, 'action=customer.');
    expect(actions(customers)).toEqual(['customer.create', 'customer.create']);
    // `_` is no wildcard: session.login does not match session.login_failed's prefix and vice versa.
    const logins = await page(admin, 'action=session.login');
    expect(logins.items.length).toBeGreaterThan(0);
    expect(actions(logins).every((a) => a.startsWith('session.login'))).toBe(true);
  });

  it('filters by object kind and by object id', async () => {
    const campaigns = await page(admin, 'targetKind=campaign');
    expect(actions(campaigns)).toEqual(['campaign.update', 'campaign.create']);
    expect(campaigns.items.every((e) => e.target === catalog.campaign.id)).toBe(true);
    const zone = catalog.zones[0]!.id;
    expect((await page(admin, `target=${zone}`)).items.map((e) => [e.action, e.target])).toEqual([['zone.create', zone]]);
    expect((await page(admin, `targetKind=site&target=${zone}`)).items).toEqual([]);
    expect(actions(await page(admin, `targetKind=customer&target=${catalog.publisher.id}`))).toEqual(['customer.create']);
    // Every kind a filter offers is the kind of some action.
    expect(new Set(Object.values(AUDIT_ACTIONS).filter(Boolean)).size).toBeGreaterThan(10);
  });

  it('filters by time range (from inclusive, to exclusive) and keeps paging under a filter', async () => {
    const jan = await page(admin, 'from=2026-01-10T08:00:00Z&to=2026-01-12T08:00:00Z');
    expect(jan.items.map((e) => e.at)).toEqual(['2026-01-11T08:00:00.000Z', '2026-01-10T08:00:00.000Z']);
    const berlin = await page(admin, 'from=2026-01-12T09:00:00%2B01:00&to=2026-01-13T00:00:00Z');
    expect(actions(berlin)).toEqual(['backup.restore']);
    const first = await page(admin, `actor=${manager.user!.id}&limit=3`);
    expect(first.items).toHaveLength(3);
    expect(first.nextBefore).toBe(first.items[2]!.seq);
    const second = await page(admin, `actor=${manager.user!.id}&limit=3&before=${first.nextBefore}`);
    expect(second.items[0]!.seq).toBeLessThan(first.items[2]!.seq);
    expect(second.items.every((e: AuditEntry) => e.actor === manager.user!.id)).toBe(true);
    const all = await page(admin, `actor=${manager.user!.id}&limit=500`);
    expect([...first.items, ...second.items].map((e) => e.seq)).toEqual(all.items.slice(0, first.items.length + second.items.length).map((e) => e.seq));
  });

  it('refuses bad filters with 400 and names the field', async () => {
    const bad = async (query: string, path: string) => {
      const res = await admin.get(`/api/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path), query).toContain(path);
    };
    await bad('action=campaign.explode', 'action');
    await bad('action=nothing.', 'action');
    await bad("action=x'%20OR%201", 'action');
    await bad('targetKind=planet', 'targetKind');
    await bad('actor=a%20b', 'actor');
    await bad(`target=${'x'.repeat(101)}`, 'target');
    await bad('from=yesterday', 'from');
    await bad('from=2026-01-12T00:00:00Z&to=2026-01-10T00:00:00Z', 'to');
    await bad('limit=501', 'limit');
  });

  it('is for admins, management and the DPO only', async () => {
    expect((await (await signInAs(app, 'management')).get('/api/audit?targetKind=campaign')).status).toBe(200);
    expect((await (await signInAs(app, 'dpo')).get('/api/audit?action=case.')).status).toBe(200);
    expect((await manager.get('/api/audit?targetKind=campaign')).status).toBe(403);
    expect((await (await signInAs(app, 'analyst')).get('/api/audit')).status).toBe(403);
    expect((await anonymousClient(app).get('/api/audit?actor=cli')).status).toBe(401);
  });
});
