import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, seedCatalog, type SeededCatalog } from '../test/catalog-fixture';
import { createPortalUser, invitePortalUser } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

const clock = new Date('2026-11-26T09:00:00Z');
let app: TestApp;
let manager: AdminClient;
let cat: SeededCatalog;

/** Runs `retention run --data DIR --now ISO` in-process, as cron would. */
async function retentionRun(now: string): Promise<string> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    expect(await main(['retention', 'run', '--data', app.dataDir, '--now', now])).toBe(0);
  } finally {
    log.mockRestore();
    stdout.mockRestore();
  }
  return out.join('\n');
}

/** Polls the decision endpoint until it answers `status` (the zone index rebuilds asynchronously). */
async function decisionBecomes(zoneId: string, status: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
    await res.arrayBuffer();
    if (res.status === status) return;
    if (Date.now() > deadline) throw new Error(`decision stayed ${res.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  app = await startTestApp({}, { now: () => clock });
  manager = await signInAs(app, 'manager');
  cat = await seedCatalog(manager, { now: clock });
});
afterAll(() => app.dispose());

describe('restriction after a deletion request', () => {
  it('is for admins and managers only', async () => {
    for (const role of ['analyst', 'reviewer', 'dpo'] as const) {
      expect((await (await signInAs(app, role)).post(`/api/customers/${cat.advertiser.id}/deletion`)).status).toBe(403);
    }
    expect((await manager.post('/api/customers/cus_aaaaaaaaaaaaaaaa/deletion')).status).toBe(404);
    expect((await manager.post(`/api/customers/${cat.advertiser.id}/deletion`, { lastContractAt: 'yesterday' })).status).toBe(400);
  });

  it('exports everything held about the customer (audited)', async () => {
    const dpo = await signInAs(app, 'dpo');
    const exp = expectStatus(await dpo.get(`/api/customers/${cat.advertiser.id}/export`), 200);
    expect(exp.customer).toMatchObject({ id: cat.advertiser.id, email: 'ads@advertiser.example' });
    expect(exp.campaigns.map((c: { id: string }) => c.id)).toEqual([cat.campaign.id]);
    expect(exp.campaigns[0].zoneIds).toEqual(cat.zones.map((z) => z.id));
    expect(exp.creatives.map((c: { id: string }) => c.id)).toEqual(cat.creatives.map((c) => c.id));
    expect(exp.assets).toHaveLength(cat.creatives.length);
    expect(exp.assets[0].bytes).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const pub = expectStatus(await dpo.get(`/api/customers/${cat.publisher.id}/export`), 200);
    expect(pub.sites.map((s: { id: string }) => s.id)).toEqual([cat.site.id]);
    expect(pub.zones.map((z: { id: string }) => z.id).sort()).toEqual(cat.zones.map((z) => z.id).sort());
    const entry = app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.export' })[0]!;
    expect(entry).toMatchObject({ target: cat.publisher.id, details: { sites: 1, zones: cat.zones.length } });
  });

  it('locks the customer at once: shown as restricted, not editable (423), its ads no longer delivered', async () => {
    await decisionBecomes(cat.zones[0]!.id, 200);
    const res = await manager.post(`/api/customers/${cat.advertiser.id}/deletion`, { lastContractAt: '2026-03-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'restricted', restrictedAt: clock.toISOString(), eraseAfter: '2033-01-01T00:00:00.000Z', eraseReason: 'contract' });
    expect((await manager.get(`/api/customers/${cat.advertiser.id}`)).body.status).toBe('restricted');
    const patch = await manager.patch(`/api/customers/${cat.advertiser.id}`, { phone: '+49 1' });
    expect(patch.status).toBe(423);
    expect(patch.body.error.code).toBe('locked');
    await decisionBecomes(cat.zones[0]!.id, 204);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.restrict' })[0]).toMatchObject({ target: cat.advertiser.id, details: { eraseAfter: '2033-01-01T00:00:00.000Z', period: 'contract' } });
    // Repeating the request changes nothing.
    expect((await manager.post(`/api/customers/${cat.advertiser.id}/deletion`)).body.restrictedAt).toBe(clock.toISOString());
    expect(app.ctx.audit.list({ limit: 5, actionPrefix: 'customer.restrict' })).toHaveLength(1);
  });

  it('records invoice dates that extend retention, audited', async () => {
    const res = await manager.request('PUT', `/api/customers/${cat.advertiser.id}/records`, { json: { lastInvoiceAt: '2026-02-01T00:00:00Z' } });
    expect(res.body).toMatchObject({ lastContractAt: '2026-03-01T00:00:00.000Z', lastInvoiceAt: '2026-02-01T00:00:00.000Z', eraseAfter: '2037-01-01T00:00:00.000Z', eraseReason: 'invoice' });
    expect((await manager.request('PUT', `/api/customers/${cat.advertiser.id}/records`, { json: {} })).status).toBe(400);
    // Back to the contract period for the next test.
    expect((await manager.request('PUT', `/api/customers/${cat.advertiser.id}/records`, { json: { lastInvoiceAt: null } })).body.eraseAfter).toBe('2033-01-01T00:00:00.000Z');
  });
});

describe('erasure when retention ends', () => {
  it('erases a customer without records at the next retention run, with its sites, zones and portal accounts', async () => {
    const portal = await createPortalUser(app, manager, cat.publisher.id);
    await invitePortalUser(app, manager, cat.publisher.id, 'not-yet@publisher.example');
    expectStatus(await manager.post(`/api/customers/${cat.publisher.id}/deletion`), 200);
    const out = await retentionRun('2026-11-26T09:00:00Z');
    expect(out).toContain(`erased customer ${cat.publisher.id} (1 sites, ${cat.zones.length} zones, 0 campaigns`);
    expect((await manager.get(`/api/customers/${cat.publisher.id}`)).status).toBe(404);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM zones').pluck().get()).toBe(0);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM campaign_zones').pluck().get()).toBe(0);
    for (const table of ['portal_users', 'portal_invitations', 'portal_sessions']) {
      expect(app.ctx.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    expect((await portal.client.get('/portal-api/me')).status).toBe(401);
    const erased = app.ctx.audit.list({ limit: 5, actionPrefix: 'customer.erased' }).find((e) => e.target === cat.publisher.id)!;
    expect(erased.details).toMatchObject({ portalUsers: 1, portalInvitations: 2 });
  });

  it('keeps a customer with a contract record until exactly the end of its period, then erases everything about it', async () => {
    // Counted statistics stay (pseudonymous, keyed by ids nothing resolves any more).
    app.ctx.db.prepare('INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, served) VALUES (?, ?, ?, ?, ?, 3)').run(1_700_000_000, cat.campaign.id, cat.creatives[0]!.id, 'zon_x', 'sit_x');
    expect(await retentionRun('2032-12-31T23:59:59.999Z')).not.toContain('erased customer');
    expect(app.ctx.db.prepare('SELECT status FROM customers WHERE id = ?').pluck().get(cat.advertiser.id)).toBe('restricted');
    const out = await retentionRun('2033-01-01T00:00:00.000Z');
    expect(out).toContain(`erased customer ${cat.advertiser.id} (0 sites, 0 zones, 1 campaigns, ${cat.creatives.length} creatives, ${cat.creatives.length} assets; contract period ended 2033-01-01T00:00:00.000Z)`);
    for (const table of ['customers', 'campaigns', 'creatives', 'assets', 'customer_records']) {
      expect(app.ctx.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    expect(app.ctx.db.prepare('SELECT SUM(served) FROM stats_hourly').pluck().get()).toBeGreaterThanOrEqual(3);

    const erased = app.ctx.audit.list({ limit: 5, actionPrefix: 'customer.erased' }).find((e) => e.target === cat.advertiser.id)!;
    expect(erased.details).toMatchObject({ customers: 1, campaigns: 1, creatives: cat.creatives.length, period: 'contract', retentionEnded: '2033-01-01T00:00:00.000Z' });
    expect(JSON.stringify(erased.details)).not.toMatch(/@|advertiser\.example|Test Advertiser/);
    expect(app.ctx.audit.list({ limit: 3, actionPrefix: 'retention.run' })[0]!.details).toMatchObject({ erasedCustomers: [cat.advertiser.id] });
    expect(app.ctx.audit.verify().ok).toBe(true);
  });
});
