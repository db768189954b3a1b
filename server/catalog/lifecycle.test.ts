/**
 * The catalogue's lifecycle over HTTP: editing sites, zones and creatives, the zone size lock after
 * real served decisions, image replacement, duplicating a campaign, archive and restore of every kind
 * (proved by /v1/decision), list filters, bulk actions with mixed outcomes, the refusals' codes and
 * params, audit entries and roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, seedCatalog, uploadPng, type SeededCatalog } from '../test/catalog-fixture';
import { REBUILD_DEBOUNCE_MS } from '../delivery/zone-index';
import { startTestApp, type TestApp } from '../test/test-app';

const DAY = 86_400_000;
let app: TestApp;
let manager: AdminClient;
let analyst: AdminClient;
let cat: SeededCatalog;

beforeAll(async () => {
  app = await startTestApp();
  manager = await signInAs(app, 'manager');
  analyst = await signInAs(app, 'analyst');
  cat = await seedCatalog(manager, { sizes: [[300, 250]], campaign: { price: { model: 'cpm', amount: 2.5 }, targeting: { keywords: ['sport'] } } });
}, 30_000);
afterAll(async () => {
  await app?.dispose();
});

/** Lets the zone index pick up the last change, so the next decision sees it. */
const settle = () => new Promise((resolve) => setTimeout(resolve, REBUILD_DEBOUNCE_MS * 3));
const served = async (zoneId: string) => {
  await settle();
  return (await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}&kw=sport`)).status === 200;
};
const lastAudit = (prefix: string) => app.ctx.audit.list({ limit: 1, actionPrefix: prefix })[0]!;
const flight = () => ({ startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString() });

describe('editing', () => {
  it('edits a site: name, domain, kind and notes, audited by field; refuses an analyst', async () => {
    const res = expectStatus(await manager.patch(`/api/sites/${cat.site.id}`, { name: 'Renamed', domain: 'www.publisher.example', kind: 'app', notes: 'Contact: Ms Roe' }), 200);
    expect(res).toMatchObject({ name: 'Renamed', domain: 'www.publisher.example', kind: 'app', notes: 'Contact: Ms Roe', archivedAt: null });
    expect(lastAudit('site.update').details).toEqual({ fields: ['name', 'domain', 'kind', 'notes'] });
    expect((await manager.patch(`/api/sites/${cat.site.id}`, { notes: 'x'.repeat(2001) })).body.error.details[0].path).toBe('notes');
    expect((await analyst.patch(`/api/sites/${cat.site.id}`, { name: 'No' })).status).toBe(403);
    expectStatus(await manager.patch(`/api/sites/${cat.site.id}`, { kind: 'site', domain: 'publisher.example' }), 200);
  });

  it('fixes a zone size once the zone served, with the size in the refusal; name stays editable', async () => {
    const fresh = expectStatus(await manager.post('/api/zones', { siteId: cat.site.id, name: 'Fresh', width: 300, height: 250 }), 201);
    expect(fresh.sizeLocked).toBe(false);
    expect(expectStatus(await manager.patch(`/api/zones/${fresh.id}`, { width: 320, height: 50 }), 200)).toMatchObject({ width: 320, height: 50 });

    const zoneId = cat.zones[0]!.id;
    expect(await served(zoneId)).toBe(true);
    app.services.stats.flush();
    expect(expectStatus(await manager.get(`/api/zones/${zoneId}`), 200).sizeLocked).toBe(true);
    const refused = await manager.patch(`/api/zones/${zoneId}`, { width: 728 });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'zone_size_locked', params: { width: 300, height: 250 } });
    // Sending the unchanged size is no change.
    expect(expectStatus(await manager.patch(`/api/zones/${zoneId}`, { name: 'Rectangle', width: 300 }), 200).name).toBe('Rectangle');
    expect(lastAudit('zone.update').details).toEqual({ fields: ['name'] });
  });

  it('refuses a creative of a size none of the campaign zones has, naming the sizes', async () => {
    const asset = await uploadPng(manager, 728, 90);
    const res = await manager.post('/api/creatives', {
      campaignId: cat.campaign.id, name: 'Banner', width: 728, height: 90, assetId: asset.id, landingUrl: 'https://advertiser.example/', alt: 'Ad',
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'creative_size_mismatch', params: { width: 728, height: 90, zoneSizes: ['300×250'] } });
    expect(res.body.error.message).not.toMatch(/\/api\//);
  });

  it('edits a creative and replaces its image with one of the same size only', async () => {
    const creative = cat.creatives[0]!;
    const same = await uploadPng(manager, 300, 250, [200, 30, 30]);
    const edited = expectStatus(await manager.patch(`/api/creatives/${creative.id}`, { name: 'New look', alt: 'Red ad', landingUrl: 'https://advertiser.example/new', assetId: same.id }), 200);
    expect(edited).toMatchObject({ name: 'New look', alt: 'Red ad', landingUrl: 'https://advertiser.example/new', assetId: same.id, width: 300, height: 250 });
    expect(edited.imageUrl).toContain(same.id);
    expect(lastAudit('creative.update').details).toEqual({ fields: ['name', 'alt', 'landingUrl', 'assetId'] });
    const other = await uploadPng(manager, 728, 90);
    const refused = await manager.patch(`/api/creatives/${creative.id}`, { assetId: other.id });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'asset_size_mismatch', params: { assetSize: '728×90', creativeSize: '300×250' } });
    expect((await manager.patch(`/api/creatives/${creative.id}`, { assetId: 'ast_aaaaaaaaaaaaaaaa' })).status).toBe(404);
    expect(await served(cat.zones[0]!.id)).toBe(true);
  });
});

describe('campaign rules', () => {
  it('refuses to activate a campaign without a zone or a fitting active creative, saying what is missing', async () => {
    const draft = expectStatus(await manager.post('/api/campaigns', { customerId: cat.advertiser.id, name: 'Draft', ...flight(), status: 'draft' }), 201);
    const noZone = await manager.patch(`/api/campaigns/${draft.id}`, { status: 'active' });
    expect(noZone.status).toBe(409);
    expect(noZone.body.error).toMatchObject({ code: 'campaign_incomplete', params: { missing: ['zone', 'creative'] } });
    const noCreative = await manager.patch(`/api/campaigns/${draft.id}`, { status: 'active', zoneIds: [cat.zones[0]!.id] });
    expect(noCreative.body.error).toMatchObject({ code: 'campaign_incomplete', params: { missing: ['creative'] } });
    // The refused PATCH changed nothing.
    expect(expectStatus(await manager.get(`/api/campaigns/${draft.id}`), 200)).toMatchObject({ status: 'draft', zoneIds: [] });
    expectStatus(await manager.patch(`/api/campaigns/${draft.id}`, { zoneIds: [cat.zones[0]!.id] }), 200);
    const asset = await uploadPng(manager, 300, 250);
    expectStatus(await manager.post('/api/creatives', { campaignId: draft.id, width: 300, height: 250, assetId: asset.id, landingUrl: 'https://advertiser.example/', alt: 'Ad', status: 'paused' }), 201);
    expect((await manager.patch(`/api/campaigns/${draft.id}`, { status: 'active' })).body.error.params).toEqual({ missing: ['creative'] });
  });

  it('duplicates a campaign with its creatives, zones, targeting and price as a draft without statistics', async () => {
    const copy = expectStatus(await manager.post(`/api/campaigns/${cat.campaign.id}/duplicate`, {}), 201);
    expect(copy).toMatchObject({
      name: 'Test campaign (copy)', status: 'draft', customerId: cat.advertiser.id, zoneIds: cat.campaign.zoneIds,
      targeting: cat.campaign.targeting, pacing: cat.campaign.pacing, price: { model: 'cpm', amount: 2.5 },
    });
    expect(copy.id).not.toBe(cat.campaign.id);
    const creatives = expectStatus(await manager.get(`/api/creatives?campaignId=${copy.id}`), 200);
    expect(creatives.total).toBe(1);
    expect(creatives.items[0]).toMatchObject({ name: 'New look', width: 300, height: 250, campaignId: copy.id });
    expect(creatives.items[0].id).not.toBe(cat.creatives[0]!.id);
    app.services.stats.flush();
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_hourly WHERE campaign_id = ?').pluck().get(copy.id)).toBe(0);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_hourly WHERE campaign_id = ?').pluck().get(cat.campaign.id)).toBeGreaterThan(0);
    expect(lastAudit('campaign.duplicate')).toMatchObject({ target: copy.id });
    const named = expectStatus(await manager.post(`/api/campaigns/${cat.campaign.id}/duplicate`, { name: 'Autumn' }), 201);
    expect(named.name).toBe('Autumn');
    expect((await analyst.post(`/api/campaigns/${cat.campaign.id}/duplicate`, {})).status).toBe(403);
    expect((await manager.post('/api/campaigns/cmp_aaaaaaaaaaaaaaaa/duplicate', {})).status).toBe(404);
    // The copy may be activated: it has the zone and a fitting creative.
    expect(expectStatus(await manager.patch(`/api/campaigns/${named.id}`, { status: 'active' }), 200).status).toBe('active');
    expectStatus(await manager.patch(`/api/campaigns/${named.id}`, { status: 'paused' }), 200);
  });
});

describe('archive and restore', () => {
  it('never serves an archived creative, zone, site or campaign; restores each', async () => {
    const zoneId = cat.zones[0]!.id;
    const creativeId = cat.creatives[0]!.id;
    expect(await served(zoneId)).toBe(true);

    expect(expectStatus(await manager.post(`/api/creatives/${creativeId}/archive`, {}), 200).archivedAt).not.toBeNull();
    expect(lastAudit('creative.')).toMatchObject({ action: 'creative.archive', target: creativeId });
    expect(await served(zoneId)).toBe(false);
    expect((await manager.get(`/api/creatives?campaignId=${cat.campaign.id}`)).body.total).toBe(0);
    expect((await manager.get(`/api/creatives?campaignId=${cat.campaign.id}&archived=only`)).body.items[0].id).toBe(creativeId);
    expect((await manager.get(`/api/creatives/${creativeId}`)).status).toBe(200);
    expect((await manager.patch(`/api/creatives/${creativeId}`, { name: 'x' })).body.error).toMatchObject({ code: 'archived', params: { kind: 'creative' } });
    expect(expectStatus(await manager.post(`/api/creatives/${creativeId}/restore`, {}), 200).archivedAt).toBeNull();
    expect(await served(zoneId)).toBe(true);

    expectStatus(await manager.post(`/api/zones/${zoneId}/archive`, {}), 200);
    expect(await served(zoneId)).toBe(false);
    expect((await manager.get(`/api/zones?siteId=${cat.site.id}`)).body.items.map((z: { id: string }) => z.id)).not.toContain(zoneId);
    expect((await manager.get(`/api/zones?siteId=${cat.site.id}&archived=include`)).body.items.map((z: { id: string }) => z.id)).toContain(zoneId);
    const check = expectStatus(await manager.get(`/api/campaigns/${cat.campaign.id}/delivery-check`), 200);
    expect(check.reasons[0]).toMatchObject({ code: 'zone_archived' });
    expect((await manager.patch(`/api/zones/${zoneId}`, { name: 'x' })).body.error.code).toBe('archived');
    expectStatus(await manager.post(`/api/zones/${zoneId}/restore`, {}), 200);
    expect(await served(zoneId)).toBe(true);

    expectStatus(await manager.post(`/api/sites/${cat.site.id}/archive`, {}), 200);
    expect(lastAudit('site.')).toMatchObject({ action: 'site.archive', details: { fields: ['archivedAt'] } });
    expect(await served(zoneId)).toBe(false);
    expect((await manager.get(`/api/sites?customerId=${cat.publisher.id}`)).body.total).toBe(0);
    expect((await manager.get(`/api/sites?customerId=${cat.publisher.id}&archived=only`)).body.total).toBe(1);
    // Its zones are hidden with it, and nothing new goes under it.
    expect((await manager.get(`/api/zones?siteId=${cat.site.id}`)).body.total).toBe(0);
    expect((await manager.post('/api/zones', { siteId: cat.site.id, name: 'Z', width: 300, height: 250 })).body.error.code).toBe('archived');
    expectStatus(await manager.post(`/api/sites/${cat.site.id}/restore`, {}), 200);
    expect(await served(zoneId)).toBe(true);

    const archived = expectStatus(await manager.post(`/api/campaigns/${cat.campaign.id}/archive`, {}), 200);
    expect(archived.status).toBe('archived');
    expect(await served(zoneId)).toBe(false);
    expect((await manager.get(`/api/campaigns?customerId=${cat.advertiser.id}`)).body.items.map((c: { id: string }) => c.id)).not.toContain(cat.campaign.id);
    expect((await manager.get(`/api/campaigns?customerId=${cat.advertiser.id}&archived=only`)).body.items.map((c: { id: string }) => c.id)).toEqual([cat.campaign.id]);
    expect((await manager.get(`/api/campaigns?status=archived`)).body.total).toBe(1);
    expect((await manager.patch(`/api/campaigns/${cat.campaign.id}`, { name: 'x' })).body.error).toMatchObject({ code: 'archived', params: { kind: 'campaign' } });
    const restored = expectStatus(await manager.post(`/api/campaigns/${cat.campaign.id}/restore`, {}), 200);
    expect(restored.status).toBe('paused');
    expect(lastAudit('campaign.')).toMatchObject({ action: 'campaign.restore', details: { fields: ['status'] } });
    expect(await served(zoneId)).toBe(false);
    expectStatus(await manager.patch(`/api/campaigns/${cat.campaign.id}`, { status: 'active' }), 200);
    expect(await served(zoneId)).toBe(true);
  });

  it('refuses roles without catalogue work and unknown ids', async () => {
    for (const path of [`/api/sites/${cat.site.id}/archive`, `/api/zones/${cat.zones[0]!.id}/archive`, `/api/campaigns/${cat.campaign.id}/archive`, `/api/creatives/${cat.creatives[0]!.id}/restore`]) {
      expect((await analyst.post(path, {})).status, path).toBe(403);
    }
    expect((await manager.post('/api/sites/sit_aaaaaaaaaaaaaaaa/archive', {})).status).toBe(404);
    expect((await manager.post('/api/creatives/garbage/archive', {})).status).toBe(404);
    expect(await served(cat.zones[0]!.id)).toBe(true);
  });
});

describe('bulk', () => {
  it('pauses, resumes and archives with an outcome per id', async () => {
    const incomplete = expectStatus(await manager.post('/api/campaigns', { customerId: cat.advertiser.id, name: 'Empty', ...flight(), status: 'paused' }), 201);
    const gone = expectStatus(await manager.post('/api/campaigns', { customerId: cat.advertiser.id, name: 'Gone', ...flight(), status: 'paused' }), 201);
    expectStatus(await manager.post(`/api/campaigns/${gone.id}/archive`, {}), 200);
    const unknown = 'cmp_aaaaaaaaaaaaaaaa';

    const paused = expectStatus(await manager.post('/api/campaigns/bulk', { action: 'pause', ids: [cat.campaign.id, incomplete.id, gone.id, unknown] }), 200);
    expect(paused).toMatchObject({ action: 'pause', succeeded: 2, failed: 2 });
    expect(paused.results).toEqual([
      { id: cat.campaign.id, ok: true, status: 'paused' },
      { id: incomplete.id, ok: true, status: 'paused' },
      { id: gone.id, ok: false, error: expect.objectContaining({ code: 'archived', params: { kind: 'campaign' } }) },
      { id: unknown, ok: false, error: expect.objectContaining({ code: 'not_found' }) },
    ]);
    expect(lastAudit('campaign.')).toMatchObject({ action: 'campaign.pause', target: cat.campaign.id });
    expect(await served(cat.zones[0]!.id)).toBe(false);

    const resumed = expectStatus(await manager.post('/api/campaigns/bulk', { action: 'resume', ids: [cat.campaign.id, incomplete.id] }), 200);
    expect(resumed.results).toEqual([
      { id: cat.campaign.id, ok: true, status: 'active' },
      { id: incomplete.id, ok: false, error: expect.objectContaining({ code: 'campaign_incomplete', params: { missing: ['zone', 'creative'] } }) },
    ]);
    expect(await served(cat.zones[0]!.id)).toBe(true);

    const archived = expectStatus(await manager.post('/api/campaigns/bulk', { action: 'archive', ids: [incomplete.id] }), 200);
    expect(archived.results[0]).toEqual({ id: incomplete.id, ok: true, status: 'archived' });

    const tooMany = await manager.post('/api/campaigns/bulk', { action: 'pause', ids: Array.from({ length: 201 }, () => cat.campaign.id) });
    expect(tooMany.status).toBe(400);
    expect((await manager.post('/api/campaigns/bulk', { action: 'delete', ids: [cat.campaign.id] })).status).toBe(400);
    expect((await analyst.post('/api/campaigns/bulk', { action: 'pause', ids: [cat.campaign.id] })).status).toBe(403);
    expect(await served(cat.zones[0]!.id)).toBe(true);
  });
});
