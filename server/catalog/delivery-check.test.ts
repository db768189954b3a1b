/**
 * The delivery check over HTTP: every reason comes from a real seeded situation (campaigns created through the
 * admin API, counts made by real decisions), each reported until it is fixed; the zone check ranks a zone's
 * campaigns; roles without campaign work are refused; asking counts nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignDeliveryCheckAnswer, DeliveryCheckList, ZoneDeliveryCheck } from '../../common/schemas/delivery-check';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, uploadPng } from '../test/catalog-fixture';
import { REBUILD_DEBOUNCE_MS } from '../delivery/zone-index';
import { startTestApp, type TestApp } from '../test/test-app';

const DAY = 86_400_000;
let app: TestApp;
let admin: AdminClient;
let advertiserId: string;
let siteId: string;

beforeAll(async () => {
  app = await startTestApp();
  admin = await signInAs(app, 'admin');
  advertiserId = expectStatus(await admin.post('/api/customers', { name: 'Check Advertiser', email: 'a@adv.example', kind: 'advertiser' }), 201).id;
  const publisher = expectStatus(await admin.post('/api/customers', { name: 'Check Publisher', email: 'p@pub.example', kind: 'publisher' }), 201);
  siteId = expectStatus(await admin.post('/api/sites', { customerId: publisher.id, name: 'Check site', domain: 'pub.example' }), 201).id;
}, 30_000);

afterAll(async () => {
  await app?.dispose();
});

let zoneCount = 0;
const newZone = async (width = 300, height = 250): Promise<string> =>
  expectStatus(await admin.post('/api/zones', { siteId, name: `Zone ${++zoneCount} ${width}x${height}`, width, height }), 201).id;

const addCreative = async (campaignId: string, width: number, height: number): Promise<string> => {
  const asset = await uploadPng(admin, width, height);
  return expectStatus(
    await admin.post('/api/creatives', { campaignId, name: `Creative ${width}x${height}`, width, height, assetId: asset.id, landingUrl: 'https://adv.example/', alt: 'Ad' }),
    201,
  ).id;
};

/**
 * A creative of a size none of the campaign's zones has. Creating one is refused (creative_size_mismatch), so the
 * situation arises as it does in practice: the creative came first, the zone was linked later.
 */
const addMisfitCreative = async (campaignId: string, zoneIds: string[], width: number, height: number): Promise<void> => {
  expectStatus(await admin.patch(`/api/campaigns/${campaignId}`, { zoneIds: [] }), 200);
  await addCreative(campaignId, width, height);
  expectStatus(await admin.patch(`/api/campaigns/${campaignId}`, { zoneIds }), 200);
};

/** An active campaign in its own zone (so decisions there pick it), with one creative of the zone's size unless told otherwise. */
async function campaignWith(fields: Record<string, unknown> = {}, options: { creative?: [number, number] | null; zone?: boolean; customerId?: string } = {}) {
  const zoneId = options.zone === false ? null : await newZone();
  const now = Date.now();
  const campaign = expectStatus(
    await admin.post('/api/campaigns', {
      customerId: options.customerId ?? advertiserId,
      name: `Campaign ${zoneCount}`,
      startsAt: new Date(now - DAY).toISOString(),
      endsAt: new Date(now + 30 * DAY).toISOString(),
      zoneIds: zoneId ? [zoneId] : [],
      status: 'active',
      ...fields,
    }),
    201,
  );
  if (options.creative !== null) await addCreative(campaign.id, ...(options.creative ?? [300, 250]));
  // Let the zone index pick the campaign up, so decisions made next see it.
  await new Promise((resolve) => setTimeout(resolve, REBUILD_DEBOUNCE_MS * 3));
  return { id: campaign.id as string, zoneId };
}

const check = async (campaignId: string) => expectStatus(await admin.get(`/api/campaigns/${campaignId}/delivery-check`), 200) as CampaignDeliveryCheckAnswer;
const codes = async (campaignId: string) => (await check(campaignId)).reasons.map((r) => r.code);
const decide = (zoneId: string) => fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
const served = async (zoneId: string) => (await decide(zoneId)).status === 200;

describe('delivery check of a campaign', () => {
  it('says no_zone until a zone is linked, then delivering', async () => {
    const c = await campaignWith({}, { zone: false });
    const before = await check(c.id);
    expect(before.status).toBe('will_not_deliver');
    expect(before.reasons).toEqual([{ code: 'no_zone', params: {} }]);
    const zoneId = await newZone();
    expectStatus(await admin.patch(`/api/campaigns/${c.id}`, { zoneIds: [zoneId] }), 200);
    const after = await check(c.id);
    expect(after).toMatchObject({ status: 'delivering', reasons: [] });
    expect(await served(zoneId)).toBe(true);
  });

  it('names the zone sizes when no active creative fits them, until one of the size is added', async () => {
    const c = await campaignWith({}, { creative: null });
    await addMisfitCreative(c.id, [c.zoneId!], 728, 90);
    const before = await check(c.id);
    expect(before.reasons).toEqual([{ code: 'no_active_creative_of_zone_size', params: { zoneSizes: ['300×250'], creativeSizes: ['728×90'] } }]);
    expect(await served(c.zoneId!)).toBe(false);
    await addCreative(c.id, 300, 250);
    expect((await check(c.id)).status).toBe('delivering');
  });

  it('says not_active for a paused campaign, until it is resumed', async () => {
    const c = await campaignWith({ status: 'paused' });
    expect((await check(c.id)).reasons).toEqual([{ code: 'not_active', params: { status: 'paused' } }]);
    expectStatus(await admin.patch(`/api/campaigns/${c.id}`, { status: 'active' }), 200);
    expect((await check(c.id)).status).toBe('delivering');
  });

  it('reports a flight in the future and one in the past', async () => {
    const now = Date.now();
    const future = await campaignWith({ startsAt: new Date(now + DAY).toISOString(), endsAt: new Date(now + 2 * DAY).toISOString() });
    expect((await check(future.id)).reasons).toEqual([{ code: 'flight_not_started', params: { startsAt: new Date(Date.parse(new Date(now + DAY).toISOString())).toISOString() } }]);
    const past = await campaignWith({ startsAt: new Date(now - 3 * DAY).toISOString(), endsAt: new Date(now - DAY).toISOString() });
    expect(await codes(past.id)).toEqual(['flight_ended']);
    expectStatus(await admin.patch(`/api/campaigns/${past.id}`, { endsAt: new Date(now + DAY).toISOString() }), 200);
    expect((await check(past.id)).status).toBe('delivering');
  });

  it('says goal_reached once real decisions met the goal', async () => {
    const c = await campaignWith({ goal: { kind: 'impressions', count: 2 }, pacing: 'asap' });
    expect(await served(c.zoneId!)).toBe(true);
    expect((await check(c.id)).status).toBe('delivering');
    expect(await served(c.zoneId!)).toBe(true);
    expect((await check(c.id)).reasons).toEqual([{ code: 'goal_reached', params: { goal: 2, done: 2, kind: 'impressions' } }]);
    expect(await served(c.zoneId!)).toBe(false);
  });

  it('says pacing_ahead with what is done and what is allowed now', async () => {
    // 100 over 30 days, started a minute ago: even pacing allows the slack of 1 now.
    const now = Date.now();
    const c = await campaignWith({ goal: { kind: 'impressions', count: 100 }, pacing: 'even', startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 30 * DAY).toISOString() });
    expect((await check(c.id)).status).toBe('delivering');
    while (await served(c.zoneId!));
    const result = await check(c.id);
    expect(result.reasons).toEqual([{ code: 'pacing_ahead', params: { done: 2, allowedNow: 1, goal: 100, kind: 'impressions' } }]);
  });

  it('says daily_cap_reached once the cap is served', async () => {
    const c = await campaignWith({ dailyCap: 1 });
    expect(await served(c.zoneId!)).toBe(true);
    expect((await check(c.id)).reasons).toEqual([{ code: 'daily_cap_reached', params: { cap: 1, servedToday: 1 } }]);
    expectStatus(await admin.patch(`/api/campaigns/${c.id}`, { dailyCap: 5 }), 200);
    expect((await check(c.id)).status).toBe('delivering');
  });

  it('says customer_restricted for a campaign of a restricted customer', async () => {
    const customer = expectStatus(await admin.post('/api/customers', { name: 'Leaving', email: 'l@leaving.example', kind: 'advertiser' }), 201);
    const c = await campaignWith({}, { customerId: customer.id });
    expect((await check(c.id)).status).toBe('delivering');
    expectStatus(await admin.post(`/api/customers/${customer.id}/deletion`), 200);
    expect(await codes(c.id)).toEqual(['customer_restricted']);
    expect(await served(c.zoneId!)).toBe(false);
  });

  it('says zone_site_restricted when the publisher of every linked zone is restricted', async () => {
    const publisher = expectStatus(await admin.post('/api/customers', { name: 'Closing publisher', email: 'c@closing.example', kind: 'publisher' }), 201);
    const site = expectStatus(await admin.post('/api/sites', { customerId: publisher.id, name: 'Closing site', domain: 'closing.example' }), 201);
    const zone = expectStatus(await admin.post('/api/zones', { siteId: site.id, name: 'Closing zone', width: 300, height: 250 }), 201);
    const c = await campaignWith({}, { zone: false });
    expectStatus(await admin.patch(`/api/campaigns/${c.id}`, { zoneIds: [zone.id] }), 200);
    expect((await check(c.id)).status).toBe('delivering');
    expectStatus(await admin.post(`/api/customers/${publisher.id}/deletion`), 200);
    expect((await check(c.id)).reasons).toEqual([{ code: 'zone_site_restricted', params: { zones: ['Closing zone'] } }]);
    expect(await served(zone.id)).toBe(false);
  });

  it('states request targeting as conditions, and hours that exclude this moment as a reason', async () => {
    const hourNow = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    const kw = await campaignWith({ targeting: { keywords: ['sport'], devices: ['mobile'], countries: ['DE'] } });
    const kwCheck = await check(kw.id);
    expect(kwCheck.status).toBe('delivering');
    expect(kwCheck.conditions).toEqual([
      { which: 'keywords', values: ['sport'] },
      { which: 'devices', values: ['mobile'] },
      { which: 'countries', values: ['DE'] },
    ]);
    const other = (hourNow + 12) % 24;
    const hours = await campaignWith({ targeting: { hours: [other] } });
    const hoursCheck = await check(hours.id);
    expect(hoursCheck.reasons).toEqual([{ code: 'targeting', params: { which: 'hours', hour: hourNow } }]);
    expect(hoursCheck.conditions).toEqual([{ which: 'hours', values: [other], matchesNow: false }]);
    expectStatus(await admin.patch(`/api/campaigns/${hours.id}`, { targeting: { hours: [hourNow, other] } }), 200);
    expect(await check(hours.id)).toMatchObject({ status: 'delivering', conditions: [{ which: 'hours', values: [hourNow, other].sort((a, b) => a - b), matchesNow: true }] });
  });

  it('answers 404 for an unknown campaign and lists every campaign in one request', async () => {
    expect((await admin.get('/api/campaigns/cmp_unknown/delivery-check')).status).toBe(404);
    const list = expectStatus(await admin.get('/api/campaigns/delivery-check'), 200) as DeliveryCheckList;
    expect(list.timeZone).toBe('Europe/Berlin');
    expect(list.items.length).toBeGreaterThanOrEqual(10);
    expect(new Set(list.items.map((i) => i.status))).toEqual(new Set(['delivering', 'will_not_deliver']));
  });
});

describe('delivery check of a zone', () => {
  it('lists its campaigns with their status in this zone and who would win now', async () => {
    const zoneId = await newZone();
    const now = Date.now();
    const flight = { startsAt: new Date(now - DAY).toISOString(), endsAt: new Date(now + DAY).toISOString(), status: 'active', customerId: advertiserId };
    const mk = async (name: string, extra: Record<string, unknown>, size: [number, number] = [300, 250]) => {
      const c = expectStatus(await admin.post('/api/campaigns', { ...flight, name, zoneIds: [zoneId], ...extra }), 201);
      if (size[0] === 300 && size[1] === 250) await addCreative(c.id, ...size);
      else await addMisfitCreative(c.id, [zoneId], ...size);
      return c.id as string;
    };
    const high1 = await mk('High one', { priority: 8, weight: 3 });
    const high2 = await mk('High two', { priority: 8, weight: 1 });
    const low = await mk('Low', { priority: 2 });
    const wrong = await mk('Wrong size', { priority: 9 }, [728, 90]);
    const result = expectStatus(await admin.get(`/api/zones/${zoneId}/delivery-check`), 200) as ZoneDeliveryCheck;
    expect(result.zone).toMatchObject({ id: zoneId, width: 300, height: 250 });
    const byId = new Map(result.campaigns.map((c) => [c.campaignId, c]));
    expect(byId.size).toBe(4);
    expect(byId.get(wrong)).toMatchObject({ status: 'will_not_deliver', chance: 0, reasons: [{ code: 'no_active_creative_of_zone_size' }] });
    expect(byId.get(high1)).toMatchObject({ status: 'delivering', chance: 0.75 });
    expect(byId.get(high2)).toMatchObject({ status: 'delivering', chance: 0.25 });
    expect(byId.get(low)).toMatchObject({ status: 'delivering', chance: 0 });
    expect(result.winners.sort()).toEqual([high1, high2].sort());
    expect((await admin.get('/api/zones/zon_unknown/delivery-check')).status).toBe(404);
  });
});

describe('access and side effects', () => {
  it('refuses roles without campaign work and lets an analyst ask', async () => {
    const c = await campaignWith();
    for (const role of ['reviewer', 'dpo', 'management'] as const) {
      const client = await signInAs(app, role);
      expect((await client.get(`/api/campaigns/${c.id}/delivery-check`)).status).toBe(403);
      expect((await client.get(`/api/zones/${c.zoneId}/delivery-check`)).status).toBe(403);
      expect((await client.get('/api/campaigns/delivery-check')).status).toBe(403);
    }
    const analyst = await signInAs(app, 'analyst');
    expect((await analyst.get(`/api/campaigns/${c.id}/delivery-check`)).status).toBe(200);
  });

  it('counts nothing: statistics and goal progress are the same after many checks', async () => {
    const c = await campaignWith({ goal: { kind: 'impressions', count: 3 }, pacing: 'asap' });
    expect(await served(c.zoneId!)).toBe(true);
    const range = `from=${new Date(Date.now() - DAY).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const summary = async () => expectStatus(await admin.get(`/api/stats/summary?${range}`), 200);
    const before = await summary();
    for (let i = 0; i < 5; i++) {
      await check(c.id);
      expectStatus(await admin.get(`/api/zones/${c.zoneId}/delivery-check`), 200);
      expectStatus(await admin.get('/api/campaigns/delivery-check'), 200);
    }
    expect(await summary()).toEqual(before);
    // Two more real decisions still fit the goal of 3: the checks used none of it.
    expect(await served(c.zoneId!)).toBe(true);
    expect(await served(c.zoneId!)).toBe(true);
    expect(await codes(c.id)).toEqual(['goal_reached']);
  });
});
