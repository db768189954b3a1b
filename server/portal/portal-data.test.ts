import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adFrameCsp } from '../../common/csp';
import { zoneTags } from '../../common/zone-tags';
import { solidPng } from '../catalog/demo-images';
import { json, refreshIndex, testClock } from '../delivery/test/seed';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, uploadPng } from '../test/catalog-fixture';
import { findPlainText } from '../test/find-plain-text';
import { createPortalUser, portalRequest, type PortalClient } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

const clock = testClock('2026-03-10T09:00:00Z');
// Distinctive values: any of them in a file of the data directory is a leak.
const CONTACT_A = { email: 'kontakt.pd41@alpha.example', phone: '+49 30 4141414', address: 'Portalgasse 41, 10115 Berlin', contactPerson: 'Adelheid Portalia' };
const RECTIFIED = { email: 'neu.pd42@alpha.example', phone: '+49 40 4242424' };
const USERS = { a: 'user.pd43@alpha.example', b: 'user.pd44@beta.example', c: 'user.pd45@gamma.example' };
const HTML = '<div class="ad"><a href="%%CLICK_URL%%"><b>Spring</b> sale</a></div>';

let app: TestApp;
let admin: AdminClient;
let portalA: PortalClient;
let userA: string;
const ids = {} as { a: string; b: string; c: string; siteA: string; zoneA: string; zoneB: string; campaignA: string; pausedA: string; campaignB: string; imageA: string; htmlA: string; creativeB: string };

/** One decision in the zone, optionally seen and clicked. */
async function serve(zoneId: string, opts: { seen?: boolean; clicked?: boolean } = {}): Promise<void> {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  const d = (await json(res)) as { impressionUrl: string; clickUrl: string };
  if (opts.seen) await fetch(d.impressionUrl);
  if (opts.clicked) await fetch(d.clickUrl, { redirect: 'manual' });
}

/** A raw GET on the portal as `client` (for bytes and headers). */
const rawGet = (client: PortalClient, path: string, headers: Record<string, string> = {}) => fetch(`${app.portalUrl}${path}`, { headers: { cookie: client.cookie, ...headers } });

beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  admin = await signInAs(app, ['admin', 'dpo']);
  const customer = async (name: string, body: Record<string, unknown>) => expectStatus(await admin.post('/api/customers', { name, kind: 'both', ...body }), 201).id as string;
  ids.a = await customer('Alpha Portal GmbH', CONTACT_A);
  ids.b = await customer('Beta Portal AG', { email: 'kontakt@beta.example' });
  ids.c = await customer('Gamma Portal KG', { email: 'kontakt@gamma.example' });
  const site = async (customerId: string, domain: string) => expectStatus(await admin.post('/api/sites', { customerId, name: `Site ${domain}`, domain }), 201).id as string;
  const zone = async (siteId: string) => expectStatus(await admin.post('/api/zones', { siteId, name: 'Top', width: 300, height: 250 }), 201).id as string;
  ids.siteA = await site(ids.a, 'alpha.example');
  ids.zoneA = await zone(ids.siteA);
  ids.zoneB = await zone(await site(ids.b, 'beta.example'));
  const campaign = async (customerId: string, zoneId: string, status = 'active') =>
    expectStatus(await admin.post('/api/campaigns', { customerId, name: `Campaign ${status}`, startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-04-30T00:00:00Z', zoneIds: [zoneId], status }), 201).id as string;
  ids.campaignA = await campaign(ids.a, ids.zoneA);
  ids.pausedA = await campaign(ids.a, ids.zoneA, 'paused');
  ids.campaignB = await campaign(ids.b, ids.zoneB);
  const creative = async (campaignId: string, body: Record<string, unknown>) =>
    expectStatus(await admin.post('/api/creatives', { campaignId, name: 'Creative', width: 300, height: 250, landingUrl: 'https://alpha.example/sale', alt: 'Spring sale', ...body }), 201).id as string;
  ids.imageA = await creative(ids.campaignA, { assetId: (await uploadPng(admin, 300, 250, [10, 200, 30])).id });
  ids.htmlA = await creative(ids.campaignA, { html: HTML });
  ids.creativeB = await creative(ids.campaignB, { assetId: (await uploadPng(admin, 300, 250)).id });
  await refreshIndex(app);

  // 8 March: two decisions for A, one seen and clicked; 10 March: one more, seen. B's zone runs beside.
  clock.set('2026-03-08T10:00:00Z');
  await serve(ids.zoneA, { seen: true, clicked: true });
  await serve(ids.zoneA);
  await serve(ids.zoneB, { seen: true, clicked: true });
  clock.set('2026-03-10T08:30:00Z');
  await serve(ids.zoneA, { seen: true });
  await serve(ids.zoneB);
  clock.set('2026-03-10T09:00:00Z');

  const a = await createPortalUser(app, admin, ids.a, USERS.a);
  portalA = a.client;
  userA = a.userId;
  admin = await signInAs(app, ['admin', 'dpo']);
});
afterAll(() => app.dispose());

describe('overview and statistics', () => {
  it("answers the overview from the customer's own counts of the last 7 days", async () => {
    const res = await portalA.get('/portal-api/overview');
    expect(res.status).toBe(200);
    expect(res.body.customer).toEqual({ id: ids.a, name: 'Alpha Portal GmbH' });
    expect(res.body.activeCampaigns).toBe(1);
    const points = res.body.last7Days.points as Array<{ t: string; served: number }>;
    // Days of the operator time zone (Europe/Berlin by default, UTC+1 in March): each starts at 23:00 UTC the evening before.
    expect(res.body.timeZone).toBe('Europe/Berlin');
    expect(points.map((p) => p.t)).toEqual(['03', '04', '05', '06', '07', '08', '09'].map((d) => `2026-03-${d}T23:00:00.000Z`));
    expect(points[4]).toMatchObject({ t: '2026-03-07T23:00:00.000Z', served: 2, impressions: 1, clicks: 1 });
    expect(points[6]).toMatchObject({ t: '2026-03-09T23:00:00.000Z', served: 1, impressions: 1, clicks: 0 });
    expect(res.body.last7Days.totals).toEqual({ served: 3, impressions: 2, clicks: 1, ctr: 0.5 });
  });

  it('answers exactly what GET /api/stats answers for the same query', async () => {
    const queries = [
      'from=2026-03-08&to=2026-03-11&granularity=day',
      'from=2026-03-08T00:00:00Z&to=2026-03-11T00:00:00Z&granularity=hour',
      'from=2026-03-01&to=2026-03-11&granularity=day&by=creative',
      'from=2026-03-01&to=2026-03-11&granularity=day&by=zone',
      'from=2026-03-01&to=2026-03-11&granularity=day&by=site',
    ];
    for (const q of queries) {
      const staff = await admin.get(`/api/stats?campaignId=${ids.campaignA}&${q}`);
      const mine = await portalA.get(`/portal-api/stats?campaignId=${ids.campaignA}&${q}`);
      expect(staff.status).toBe(200);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual(staff.body);
    }
    const served = (body: { series: Array<{ points: Array<{ served: number }> }> }) => body.series.flatMap((s) => s.points).reduce((n, p) => n + p.served, 0);
    expect(served((await portalA.get(`/portal-api/stats?campaignId=${ids.campaignA}&${queries[0]}`)).body)).toBe(3);
  });

  it('sums all the customer\'s campaigns without campaignId, and refuses bad queries', async () => {
    const all = await portalA.get('/portal-api/stats?from=2026-03-08&to=2026-03-11&granularity=day');
    expect(all.status).toBe(200);
    const staff = await admin.get(`/api/stats?campaignId=${ids.campaignA}&from=2026-03-08&to=2026-03-11&granularity=day`);
    expect(all.body.series.map((x: { key: string; points: unknown }) => ({ key: x.key, points: x.points }))).toEqual([{ key: ids.a, points: staff.body.series[0].points }]);
    expect(all.body.series[0].totals).toEqual(all.body.totals);
    const byCreative = await portalA.get('/portal-api/stats?from=2026-03-01&to=2026-03-11&granularity=day&by=creative');
    for (const s of byCreative.body.series) expect([ids.imageA, ids.htmlA]).toContain(s.key);
    // By country too (shared with /api/stats): loopback requests have no country, key ''.
    const byCountry = await portalA.get('/portal-api/stats?from=2026-03-01&to=2026-03-11&granularity=day&by=country');
    expect(byCountry.status).toBe(200);
    expect(byCountry.body.series.map((s: { key: string }) => s.key)).toEqual(['']);
    expect((await portalA.get('/portal-api/stats?from=2026-03-08&granularity=day')).status).toBe(400);
    expect((await portalA.get('/portal-api/stats?from=2026-03-08&to=2026-03-01&granularity=day')).status).toBe(400);
    expect((await portalA.get(`/portal-api/stats?campaignId=${ids.campaignB}&from=2026-03-08&to=2026-03-11&granularity=day`)).status).toBe(404);
  });
});

describe('campaigns, creatives and sites', () => {
  it("lists the customer's campaigns and shows one with its creatives and zones", async () => {
    const list = await portalA.get('/portal-api/campaigns');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id).sort()).toEqual([ids.campaignA, ids.pausedA].sort());
    const staffItem = (await admin.get(`/api/campaigns/${ids.campaignA}`)).body;
    expect(list.body.items.find((c: { id: string }) => c.id === ids.campaignA)).toEqual(staffItem);
    const detail = await portalA.get(`/portal-api/campaigns/${ids.campaignA}`);
    expect(detail.body).toMatchObject({ ...staffItem, zones: [{ id: ids.zoneA, siteId: ids.siteA, siteName: 'Site alpha.example', siteDomain: 'alpha.example', width: 300, height: 250 }] });
    expect(detail.body.creatives.map((c: { id: string }) => c.id).sort()).toEqual([ids.imageA, ids.htmlA].sort());
    expect((await portalA.get(`/portal-api/campaigns/${ids.campaignB}`)).status).toBe(404);
    expect((await portalA.get('/portal-api/campaigns/not-an-id')).status).toBe(404);
  });

  it('lists creatives with campaign, size and status, and previews them: image bytes, or the HTML under the ad CSP', async () => {
    const list = await portalA.get('/portal-api/creatives');
    expect(list.body.items.map((c: { id: string }) => c.id).sort()).toEqual([ids.imageA, ids.htmlA].sort());
    const image = list.body.items.find((c: { id: string }) => c.id === ids.imageA);
    expect(image).toMatchObject({ campaignId: ids.campaignA, campaignName: 'Campaign active', width: 300, height: 250, status: 'active', previewUrl: `/portal-api/creatives/${ids.imageA}/preview` });

    const png = await rawGet(portalA, image.previewUrl);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).equals(solidPng(300, 250, [10, 200, 30]))).toBe(true);

    const html = await rawGet(portalA, `/portal-api/creatives/${ids.htmlA}/preview`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toBe(adFrameCsp(new URL(app.deliveryUrl).origin));
    expect(html.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const doc = await html.text();
    expect(doc).toContain('<div class="ad"><a href="https://alpha.example/sale"><b>Spring</b> sale</a></div>');
    expect(doc).not.toContain('/v1/imp/');

    expect((await rawGet(portalA, `/portal-api/creatives/${ids.creativeB}/preview`)).status).toBe(404);
    expect((await fetch(`${app.portalUrl}/portal-api/creatives/${ids.imageA}/preview`)).status).toBe(401);
  });

  it('shows the sites with zones and the same ad tags as the console, in the reader\'s language', async () => {
    const list = await portalA.get('/portal-api/sites');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const [site] = list.body.items;
    const zone = (await admin.get(`/api/zones/${ids.zoneA}`)).body;
    expect(site).toMatchObject({ id: ids.siteA, customerId: ids.a, zones: [{ ...zone, tags: zoneTags(app.deliveryUrl, zone, 'Advertisement') }] });
    expect(site.zones[0].tags.js).toBe(`<script src="${app.deliveryUrl}/v1/zone/${ids.zoneA}.js" async></script>`);
    const german = (await (await rawGet(portalA, `/portal-api/sites/${ids.siteA}`, { 'accept-language': 'de-DE,de;q=0.9' })).json()) as { zones: Array<{ tags: { iframe: string } }> };
    expect(german.zones[0]!.tags.iframe).toContain('title="Anzeige"');
    const bSite = (await admin.get(`/api/sites?customerId=${ids.b}`)).body.items[0].id;
    expect((await portalA.get(`/portal-api/sites/${bSite}`)).status).toBe(404);
  });
});

describe('my data', () => {
  it('shows the contact data and the lifecycle state', async () => {
    const res = await portalA.get('/portal-api/account');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ids.a, name: 'Alpha Portal GmbH', kind: 'both', ...CONTACT_A, notes: null, retention: { customerId: ids.a, status: 'active', eraseAfter: null } });
  });

  it('rectifies contact data with the staff rules, audited as the portal user', async () => {
    const res = await portalA.patch('/portal-api/account', RECTIFIED);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...CONTACT_A, ...RECTIFIED });
    expect((await admin.get(`/api/customers/${ids.a}`)).body).toMatchObject({ ...CONTACT_A, ...RECTIFIED });
    const entry = app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.rectify' })[0]!;
    expect(entry).toMatchObject({ actor: `portal:${userA}`, target: ids.a, details: { fields: ['email', 'phone'] } });
    expect(JSON.stringify(entry)).not.toContain('pd42');
    for (const bad of [{}, { email: 'not-an-address' }, { kind: 'publisher' }, { notes: 'mine' }, { name: '' }]) {
      expect((await portalA.patch('/portal-api/account', bad)).status).toBe(400);
    }
    const noCsrf = await fetch(`${app.portalUrl}/portal-api/account`, { method: 'PATCH', headers: { cookie: portalA.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ phone: null }) });
    expect(noCsrf.status).toBe(403);
  });

  it('downloads the portability export as an attachment, audited', async () => {
    const res = await rawGet(portalA, '/portal-api/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="customer-export-2026-03-10.json"');
    const body = (await res.json()) as { format: string; customer: { id: string; email: string }; campaigns: Array<{ id: string }>; sites: Array<{ id: string }> };
    expect(body.format).toBe('creative-engine customer export v1');
    expect(body.customer).toMatchObject({ id: ids.a, email: RECTIFIED.email });
    expect(body.campaigns.map((c) => c.id).sort()).toEqual([ids.campaignA, ids.pausedA].sort());
    expect(JSON.stringify(body)).not.toContain(ids.campaignB);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.export' })[0]).toMatchObject({ actor: `portal:${userA}`, target: ids.a });
  });

  it('requests deletion: restricted at once, the session ends and sign-in is refused', async () => {
    const c = await createPortalUser(app, admin, ids.c, USERS.c);
    expect((await c.client.post('/portal-api/deletion', {})).status).toBe(400);
    const res = await c.client.post('/portal-api/deletion', { confirm: true });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ customerId: ids.c, status: 'restricted', restrictedAt: '2026-03-10T09:00:00.000Z', eraseAfter: expect.any(String) });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'customer.restrict' })[0]).toMatchObject({ actor: `portal:${c.userId}`, target: ids.c });
    expect((await admin.get(`/api/customers/${ids.c}/records`)).body.status).toBe('restricted');
    expect((await c.client.get('/portal-api/overview')).status).toBe(401);
    const again = await portalRequest(app, 'POST', '/portal-api/session', { email: c.email, password: c.password });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('portal_account_restricted');
    // Another customer's portal is untouched.
    expect((await portalA.get('/portal-api/account')).body.retention.status).toBe('active');
  });

  it('leaves no personal value in plain text in the data directory', async () => {
    await createPortalUser(app, admin, ids.b, USERS.b);
    const secrets = [...Object.values(CONTACT_A), ...Object.values(RECTIFIED), ...Object.values(USERS)];
    expect(findPlainText(app.dataDir, secrets)).toEqual([]);
    app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findPlainText(app.dataDir, secrets)).toEqual([]);
  });
});
