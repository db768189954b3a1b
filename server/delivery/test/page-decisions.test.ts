import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock, testId } from './seed';

// Monday 2 June 2025, 10:30 UTC.
const clock = testClock('2025-06-02T10:30:00Z');
const RUNS = 40;

let app: TestApp;
let seed: Seeder;
let analyst: AdminClient;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

interface Placement {
  zone: string;
  decision: null | { decisionId: string; creative: { id: string; width: number; height: number }; impressionUrl: string; clickUrl: string };
}

const getPage = (zoneIds: string[], extra = '') => fetch(`${app.deliveryUrl}/v1/decision?zones=${zoneIds.join(',')}${extra}`);
const postPage = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.deliveryUrl}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function placements(res: Response): Promise<Placement[]> {
  expect(res.status).toBe(200);
  const body = await json(res);
  expect(Object.keys(body)).toEqual(['placements']);
  return body.placements;
}

/** A publisher site with `count` zones of one size. */
function site(count: number, width = 300, height = 250): string[] {
  const siteId = seed.site(seed.customer());
  return Array.from({ length: count }, () => seed.zone(siteId, width, height));
}

/** Campaigns (each with `creatives` creatives) linked to all `zoneIds`; creative id → campaign id in `owner`. */
function campaigns(zoneIds: string[], specs: Array<{ group?: string | null; priority?: number }>, owner: Map<string, string>, creatives = 2): string[] {
  return specs.map((spec) => {
    const id = seed.campaign({ zoneIds, exclusivityGroup: spec.group ?? null, priority: spec.priority ?? 5 });
    for (let i = 0; i < creatives; i++) owner.set(seed.creative(id), id);
    return id;
  });
}

/** Totals of a campaign today, through the statistics API. */
async function totals(campaignId: string) {
  const res = await analyst.get(`/api/stats?campaignId=${campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
  expect(res.status).toBe(200);
  const p = res.body.series[0].points[0];
  return { served: p.served, impressions: p.impressions };
}

describe('page decisions: GET /v1/decision?zones= and POST /v1/decisions', () => {
  it('fills several zones in request order, never with the same creative or campaign twice', async () => {
    const zones = site(4);
    const owner = new Map<string, string>();
    campaigns(zones, [{}, {}, {}, {}, {}, {}], owner);
    await refreshIndex(app);
    for (let run = 0; run < RUNS; run++) {
      const order = run % 2 === 0 ? zones : [...zones].reverse();
      const res = run % 3 === 0 ? await postPage({ placements: order.map((zone) => ({ zone })) }) : await getPage(order);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const page = await placements(res);
      expect(page.map((p) => p.zone)).toEqual(order);
      const creatives = page.map((p) => p.decision!.creative.id);
      const used = creatives.map((c) => owner.get(c));
      expect(used.every((c) => c !== undefined)).toBe(true);
      expect(new Set(creatives).size).toBe(4);
      expect(new Set(used).size).toBe(4);
      expect(new Set(page.map((p) => p.decision!.decisionId)).size).toBe(4);
    }
  });

  it('never puts two campaigns of one exclusivity group on a page; different groups may share it', async () => {
    const zones = site(2);
    const owner = new Map<string, string>();
    const [carA, carB, food] = campaigns(zones, [{ group: 'cars' }, {}, { group: 'food' }], owner);
    // One group set through the API (groups compare case-insensitively): it reaches delivery.
    const manager = await signInAs(app, 'manager');
    expect((await manager.patch(`/api/campaigns/${carB}`, { exclusivityGroup: 'Cars' })).status).toBe(200);
    await refreshIndex(app);
    const seen = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const page = await placements(run % 2 ? await getPage(zones) : await postPage({ placements: zones.map((zone) => ({ zone })) }));
      const used = page.map((p) => owner.get(p.decision!.creative.id)!);
      // Two zones, one car slot: the page holds exactly one car campaign and the food one.
      expect(used).toContain(food);
      expect(used.filter((c) => c === carA || c === carB)).toHaveLength(1);
      for (const c of used) seen.add(c);
    }
    expect(seen).toEqual(new Set([carA, carB, food]));
  });

  it('honours exclusions of campaigns and creatives', async () => {
    const zones = site(2);
    const owner = new Map<string, string>();
    const [a, b, c] = campaigns(zones, [{}, {}, {}], owner);
    await refreshIndex(app);
    const ofB = [...owner].filter(([, cmp]) => cmp === b).map(([crv]) => crv);
    for (let run = 0; run < RUNS; run++) {
      const page = await placements(await postPage({ placements: zones.map((zone) => ({ zone })), exclusions: { campaigns: [a], creatives: [ofB[0]] } }));
      for (const p of page) {
        expect(p.decision).not.toBeNull();
        expect(owner.get(p.decision!.creative.id)).not.toBe(a);
        expect(p.decision!.creative.id).not.toBe(ofB[0]);
      }
    }
    // Everything excluded: both placements stay empty, still 200.
    const none = await placements(await postPage({ placements: zones.map((zone) => ({ zone })), exclusions: { campaigns: [a, b, c] } }));
    expect(none).toEqual(zones.map((zone) => ({ zone, decision: null })));
  });

  it('answers null for placements with nothing eligible, keeping the others and their order', async () => {
    const zones = site(3);
    const owner = new Map<string, string>();
    const [only] = campaigns([zones[1]!], [{}], owner, 1);
    const empty = site(1);
    await refreshIndex(app);
    for (let run = 0; run < 5; run++) {
      const page = await placements(await getPage([zones[0]!, zones[1]!, empty[0]!, zones[2]!]));
      expect(page.map((p) => p.zone)).toEqual([zones[0], zones[1], empty[0], zones[2]]);
      expect(page[0]!.decision).toBeNull();
      expect(owner.get(page[1]!.decision!.creative.id)).toBe(only);
      expect(page[2]!.decision).toBeNull();
      expect(page[3]!.decision).toBeNull();
    }
    // The only campaign fills the first zone that can take it; the next one stays empty.
    const both = site(2);
    const [one] = campaigns(both, [{}], owner, 1);
    await refreshIndex(app);
    const page = await placements(await getPage(both));
    expect(owner.get(page[0]!.decision!.creative.id)).toBe(one);
    expect(page[1]!.decision).toBeNull();
  });

  it('applies keywords per placement (POST) and to every placement (GET kw=)', async () => {
    const zones = site(2);
    const owner = new Map<string, string>();
    const sport = seed.campaign({ zoneIds: zones, targeting: { keywords: ['sport'] } });
    owner.set(seed.creative(sport), sport);
    await refreshIndex(app);
    const post = await placements(await postPage({ placements: [{ zone: zones[0] }, { zone: zones[1], kw: ['Sport', 'news'] }] }));
    expect(post[0]!.decision).toBeNull();
    expect(owner.get(post[1]!.decision!.creative.id)).toBe(sport);
    const get = await placements(await getPage(zones, '&kw=sport'));
    expect(owner.get(get[0]!.decision!.creative.id)).toBe(sport);
    expect(get[1]!.decision).toBeNull();
    expect((await getPage(zones, '&kw=!!')).status).toBe(400);
    expect((await postPage({ placements: [{ zone: zones[0], kw: ['a b'] }] })).status).toBe(400);
  });

  it('answers GET and POST alike, each decision in the single-decision shape', async () => {
    const zones = site(2);
    const owner = new Map<string, string>();
    campaigns([zones[0]!], [{}], owner, 1);
    campaigns([zones[1]!], [{}], owner, 1);
    await refreshIndex(app);
    const strip = (page: Placement[]) => page.map((p) => ({ zone: p.zone, creative: p.decision!.creative }));
    const fromGet = await placements(await getPage(zones));
    const fromPost = await placements(await postPage({ placements: zones.map((zone) => ({ zone })) }));
    expect(strip(fromGet)).toEqual(strip(fromPost));
    const single = await json(await fetch(`${app.deliveryUrl}/v1/decision?zone=${zones[0]}`));
    for (const page of [fromGet, fromPost]) {
      expect(Object.keys(page[0]!.decision!)).toEqual(Object.keys(single));
      expect(page[0]!.decision!.creative).toEqual(single.creative);
      expect(page[0]!.decision!.impressionUrl).toMatch(new RegExp(`^${app.deliveryUrl}/v1/imp/[A-Za-z0-9_-]+$`));
      expect(page[0]!.decision!.clickUrl).toMatch(new RegExp(`^${app.deliveryUrl}/v1/click/[A-Za-z0-9_-]+$`));
    }
  });

  it('counts each served placement and each of its impressions once', async () => {
    const zones = site(3);
    const owner = new Map<string, string>();
    const ids = campaigns(zones, [{}, {}, {}], owner, 1);
    await refreshIndex(app);
    const page = await placements(await postPage({ placements: zones.map((zone) => ({ zone })) }));
    const get = await placements(await getPage(zones));
    for (const p of [...page, ...get]) {
      expect((await fetch(p.decision!.impressionUrl)).status).toBe(200);
      expect((await fetch(p.decision!.impressionUrl)).status).toBe(200);
    }
    for (const id of ids) expect(await totals(id)).toEqual({ served: 2, impressions: 2 });
    // Clicks redirect to the creative's landing page.
    const click = await fetch(page[0]!.decision!.clickUrl, { redirect: 'manual' });
    expect(click.status).toBe(302);
  });

  it('refuses malformed pages with 400/404/413/415 naming the problem, with CORS headers', async () => {
    const zones = site(21);
    await refreshIndex(app);
    const expectError = async (res: Response, status: number, message?: RegExp) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const body = await json(res);
      if (message) expect(body.error.message).toMatch(message);
    };
    await expectError(await getPage(zones), 400, /1 to 20 zone ids/);
    await expectError(await getPage([]), 400, /1 to 20 zone ids/);
    await expectError(await getPage([zones[0]!, zones[1]!, zones[0]!]), 400, new RegExp(`${zones[0]} is asked for twice \\(placement 3\\)`));
    await expectError(await getPage([zones[0]!, 'zon_ABC']), 400, /placement 2 is malformed/);
    const unknown = testId('zone');
    await expectError(await getPage([zones[0]!, unknown]), 404, new RegExp(`${unknown} \\(placement 2\\)`));
    await expectError(await fetch(`${app.deliveryUrl}/v1/decision?zone=${zones[0]}&zones=${zones[1]}`), 400, /either zone= .* or zones=/);

    const post = (zs: string[]) => postPage({ placements: zs.map((zone) => ({ zone })) });
    await expectError(await post(zones), 400);
    await expectError(await post([]), 400);
    await expectError(await post([zones[2]!, zones[2]!]), 400, /asked for twice/);
    await expectError(await post([unknown]), 404, new RegExp(unknown));
    await expectError(await postPage('{"placements": ['), 400, /not valid JSON/);
    await expectError(await postPage({ placements: [{ zone: zones[0] }], extra: 1 }), 400);
    await expectError(await postPage({ placements: [{ zone: zones[0], size: 1 }] }), 400);
    await expectError(await postPage({ placements: [{ zone: zones[0] }], exclusions: { campaigns: ['nope'] } }), 400);
    await expectError(await postPage({ placements: [{ zone: zones[0] }], pad: 'x'.repeat(17 * 1024) }), 413);
    await expectError(await postPage({ placements: [{ zone: zones[0] }] }, { 'content-type': 'text/plain' }), 415);
  });

  it('answers the CORS preflight of POST /v1/decisions', async () => {
    const res = await fetch(`${app.deliveryUrl}/v1/decisions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://publisher.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('content-type');
  });
});
