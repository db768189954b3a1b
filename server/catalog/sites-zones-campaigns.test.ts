import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus } from '../test/catalog-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let manager: AdminClient;
let reviewer: AdminClient;
let advertiserId: string;
let publisherId: string;
const changes: string[] = [];
beforeAll(async () => {
  app = await startTestApp();
  app.ctx.events.on('data-changed', (change) => changes.push(change.what));
  manager = await signInAs(app, 'manager');
  reviewer = await signInAs(app, 'reviewer');
  advertiserId = expectStatus(await manager.post('/api/customers', { name: 'Adv', email: 'a@adv.example' }), 201).id;
  publisherId = expectStatus(await manager.post('/api/customers', { name: 'Pub', email: 'p@pub.example', kind: 'publisher' }), 201).id;
});
afterAll(() => app.dispose());

const flight = { startsAt: '2025-01-01T00:00:00Z', endsAt: '2025-02-01T00:00:00+01:00' };

describe('sites and zones', () => {
  it('creates sites and apps, lists them by customer, patches them', async () => {
    const site = await manager.post('/api/sites', { customerId: publisherId, name: 'News', domain: 'News.Example' });
    expect(site.status).toBe(201);
    expect(site.body).toMatchObject({ customerId: publisherId, name: 'News', domain: 'news.example', kind: 'site' });
    const appSite = expectStatus(await manager.post('/api/sites', { customerId: publisherId, name: 'Game', domain: 'com.example.game', kind: 'app' }), 201);
    expect((await reviewer.get(`/api/sites?customerId=${publisherId}`)).body.total).toBe(2);
    expect((await reviewer.get('/api/sites?q=game')).body.items[0].id).toBe(appSite.id);
    expect((await reviewer.get(`/api/sites?customerId=${advertiserId}`)).body.total).toBe(0);
    expect((await reviewer.get('/api/sites?customerId=bogus')).status).toBe(400);
    const patched = await manager.patch(`/api/sites/${site.body.id}`, { name: 'News 2' });
    expect(patched.body).toMatchObject({ name: 'News 2', domain: 'news.example' });
    expect(changes).toContain('site');
  });

  it('validates domains, customers and kinds', async () => {
    const bad = await manager.post('/api/sites', { customerId: publisherId, name: 'X', domain: 'https://news.example/path' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('domain');
    const unknown = await manager.post('/api/sites', { customerId: 'cus_aaaaaaaaaaaaaaaa', name: 'X', domain: 'x.example' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('customerId');
    const malformed = await manager.post('/api/sites', { customerId: 'zon_aaaaaaaaaaaaaaaa', name: 'X', domain: 'x.example' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toContain('customerId');
    expect((await manager.post('/api/sites', { customerId: publisherId, name: 'X', domain: 'x.example', kind: 'tv' })).status).toBe(400);
    expect((await reviewer.post('/api/sites', { customerId: publisherId, name: 'X', domain: 'x.example' })).status).toBe(403);
  });

  it('creates zones under sites, filters by ?siteId=, validates sizes', async () => {
    const site = expectStatus(await manager.post('/api/sites', { customerId: publisherId, name: 'Blog', domain: 'blog.example' }), 201);
    const rect = await manager.post('/api/zones', { siteId: site.id, name: 'Rectangle', width: 300, height: 250 });
    expect(rect.status).toBe(201);
    expect(rect.body.id).toMatch(/^zon_/);
    await manager.post('/api/zones', { siteId: site.id, name: 'Leaderboard', width: 728, height: 90 });
    const list = await reviewer.get(`/api/zones?siteId=${site.id}`);
    expect(list.body.total).toBe(2);
    expect((await reviewer.get(`/api/zones?siteId=${site.id}&q=leader`)).body.items.map((z: { width: number }) => z.width)).toEqual([728]);
    expect((await reviewer.get(`/api/zones/${rect.body.id}`)).body.height).toBe(250);
    const tooBig = await manager.post('/api/zones', { siteId: site.id, name: 'Huge', width: 4001, height: 1.5 });
    expect(tooBig.body.error.details.map((d: { path: string }) => d.path)).toEqual(['width', 'height']);
    expect((await manager.post('/api/zones', { siteId: 'sit_aaaaaaaaaaaaaaaa', name: 'Z', width: 1, height: 1 })).status).toBe(404);
    expect((await manager.patch(`/api/zones/${rect.body.id}`, { width: 320 })).body.width).toBe(320);
    expect((await manager.patch('/api/zones/zon_aaaaaaaaaaaaaaaa', { width: 320 })).status).toBe(404);
    expect((await manager.patch('/api/zones/garbage', { width: 320 })).status).toBe(404);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'zone.' })[0]).toMatchObject({ action: 'zone.update', details: { fields: ['width'] } });
  });
});

describe('campaigns', () => {
  let zoneA: string;
  let zoneB: string;
  beforeAll(async () => {
    const site = expectStatus(await manager.post('/api/sites', { customerId: publisherId, name: 'S', domain: 's.example' }), 201);
    zoneA = expectStatus(await manager.post('/api/zones', { siteId: site.id, name: 'A', width: 300, height: 250 }), 201).id;
    zoneB = expectStatus(await manager.post('/api/zones', { siteId: site.id, name: 'B', width: 728, height: 90 }), 201).id;
  });

  it('creates a campaign with defaults, normalised times and zone links', async () => {
    const res = await manager.post('/api/campaigns', { customerId: advertiserId, name: 'Spring', ...flight, zoneIds: [zoneA, zoneB, zoneA] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      customerId: advertiserId,
      name: 'Spring',
      status: 'active',
      startsAt: '2025-01-01T00:00:00.000Z',
      endsAt: '2025-01-31T23:00:00.000Z',
      zoneIds: [zoneA, zoneB],
      impressionGoal: null,
      dailyCap: null,
      priority: 5,
      weight: 1,
      targeting: {},
    });
    expect(changes).toContain('campaign');
    expect((await reviewer.get(`/api/campaigns?zoneId=${zoneB}`)).body.items[0].id).toBe(res.body.id);
    expect((await reviewer.get(`/api/campaigns?customerId=${advertiserId}&status=active&q=spr`)).body.total).toBe(1);
    expect((await reviewer.get('/api/campaigns?status=paused')).body.total).toBe(0);
  });

  it('patches fields, replaces zone links and keeps the flight in order', async () => {
    const c = expectStatus(await manager.post('/api/campaigns', { customerId: advertiserId, name: 'Patch', ...flight, zoneIds: [zoneA] }), 201);
    const res = await manager.patch(`/api/campaigns/${c.id}`, {
      zoneIds: [zoneB],
      priority: 9,
      weight: 100,
      dailyCap: 1000,
      impressionGoal: 50000,
      status: 'paused',
      targeting: { keywords: ['Sport'], devices: ['mobile'], hours: [8, 9], weekdays: [1] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ zoneIds: [zoneB], priority: 9, weight: 100, dailyCap: 1000, impressionGoal: 50000, status: 'paused' });
    expect(res.body.targeting.keywords).toEqual(['sport']);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'campaign.update' })[0]!.details).toEqual({ fields: ['zoneIds', 'status', 'goal', 'dailyCap', 'priority', 'weight', 'targeting'] });
    const backwards = await manager.patch(`/api/campaigns/${c.id}`, { endsAt: '2024-12-01T00:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('endsAt must be after startsAt');
    expect((await manager.patch(`/api/campaigns/${c.id}`, { impressionGoal: null })).body.impressionGoal).toBeNull();
  });

  it('keeps an exclusivity group: create, patch, detail and list, trimmed, validated and audited', async () => {
    const c = expectStatus(await manager.post('/api/campaigns', { customerId: advertiserId, name: 'Cars', ...flight, exclusivityGroup: '  Cars_EU-1 ' }), 201);
    expect(c.exclusivityGroup).toBe('Cars_EU-1');
    expect(expectStatus(await manager.post('/api/campaigns', { customerId: advertiserId, name: 'None', ...flight }), 201).exclusivityGroup).toBeNull();
    expect((await reviewer.get(`/api/campaigns/${c.id}`)).body.exclusivityGroup).toBe('Cars_EU-1');
    expect((await reviewer.get('/api/campaigns?q=cars')).body.items.find((x: { id: string }) => x.id === c.id).exclusivityGroup).toBe('Cars_EU-1');
    const patched = await manager.patch(`/api/campaigns/${c.id}`, { exclusivityGroup: 'Autos Süd' });
    expect(patched.body.exclusivityGroup).toBe('Autos Süd');
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'campaign.update' })[0]!.details).toEqual({ fields: ['exclusivityGroup'] });
    expect((await manager.patch(`/api/campaigns/${c.id}`, { exclusivityGroup: null })).body.exclusivityGroup).toBeNull();
    for (const bad of ['', '   ', 'x'.repeat(41), 'cars!', 'a/b', 7]) {
      const res = await manager.patch(`/api/campaigns/${c.id}`, { exclusivityGroup: bad });
      expect(res.status, String(bad)).toBe(400);
      expect(res.body.error.details[0].path).toBe('exclusivityGroup');
    }
    expect((await manager.post('/api/campaigns', { customerId: advertiserId, name: 'X', ...flight, exclusivityGroup: 'a;b' })).status).toBe(400);
  });

  it('validates ranges, references and targeting with field names', async () => {
    const bad = await manager.post('/api/campaigns', {
      customerId: advertiserId,
      name: 'Bad',
      startsAt: 'yesterday',
      endsAt: flight.endsAt,
      priority: 11,
      weight: 0,
      targeting: { hours: [24], colour: 'red' },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['startsAt', 'priority', 'weight', 'targeting.hours.0']));
    const order = await manager.post('/api/campaigns', { customerId: advertiserId, name: 'X', startsAt: flight.endsAt, endsAt: flight.startsAt });
    expect(order.body.error.details[0].path).toBe('endsAt');
    const missingZone = await manager.post('/api/campaigns', { customerId: advertiserId, name: 'X', ...flight, zoneIds: [zoneA, 'zon_aaaaaaaaaaaaaaaa'] });
    expect(missingZone.status).toBe(404);
    expect(missingZone.body.error.message).toContain('zoneIds.1');
    expect((await manager.post('/api/campaigns', { customerId: 'cus_aaaaaaaaaaaaaaaa', name: 'X', ...flight })).status).toBe(404);
    expect((await manager.post('/api/campaigns', { customerId: advertiserId, name: 'X', ...flight, zoneIds: ['nope'] })).status).toBe(400);
    expect((await manager.get('/api/campaigns/cmp_aaaaaaaaaaaaaaaa')).status).toBe(404);
    expect((await manager.patch('/api/campaigns/%E2%98%83', { name: 'x' })).status).toBe(404);
  });

  it('refuses campaigns for a restricted customer with 423', async () => {
    const locked = expectStatus(await manager.post('/api/customers', { name: 'Gone', email: 'g@gone.example' }), 201);
    const c = expectStatus(await manager.post('/api/campaigns', { customerId: locked.id, name: 'Before', ...flight }), 201);
    app.ctx.db.prepare("UPDATE customers SET status = 'restricted' WHERE id = ?").run(locked.id);
    const create = await manager.post('/api/campaigns', { customerId: locked.id, name: 'After', ...flight });
    expect(create.status).toBe(423);
    expect(create.body.error.message).toContain('restricted');
    expect((await manager.patch(`/api/campaigns/${c.id}`, { status: 'active' })).status).toBe(423);
    expect((await manager.post('/api/sites', { customerId: locked.id, name: 'S', domain: 's.example' })).status).toBe(423);
  });
});
