import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock, testId } from './seed';

// Monday 2 June 2025, 10:30 UTC = 12:30 in Europe/Berlin (summer time).
const clock = testClock('2025-06-02T10:30:00Z');
const DAY = 86_400_000;
const DESKTOP_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const TABLET_UA = 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

let app: TestApp;
let seed: Seeder;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
});
afterAll(() => app.dispose());

const decide = (zoneId: string, extra = '', ua = DESKTOP_UA) => fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}${extra}`, { headers: { 'user-agent': ua } });
const status = async (zoneId: string, extra = '', ua?: string) => (await decide(zoneId, extra, ua)).status;

describe('GET /v1/decision', () => {
  it('answers the contract shape with absolute first-party URLs and delivery headers', async () => {
    const s = seed.simple({}, { alt: 'Summer sale' });
    await refreshIndex(app);
    const res = await decide(s.zoneId);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['campaignId', 'clickUrl', 'creative', 'decisionId', 'impressionUrl', 'viewUrl']);
    expect(body.decisionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const assetId = app.ctx.db.prepare('SELECT asset_id FROM creatives WHERE id = ?').pluck().get(s.creativeId);
    expect(body.creative).toEqual({ id: s.creativeId, width: 300, height: 250, imageUrl: `${app.deliveryUrl}/v1/assets/${assetId}`, alt: 'Summer sale' });
    expect(body.impressionUrl).toMatch(new RegExp(`^${app.deliveryUrl}/v1/imp/[A-Za-z0-9_-]+$`));
    expect(body.clickUrl).toMatch(new RegExp(`^${app.deliveryUrl}/v1/click/[A-Za-z0-9_-]+$`));
    const again = await json(await decide(s.zoneId));
    expect(again.decisionId).not.toBe(body.decisionId);
  });

  it('returns HTML creatives with the click URL filled in', async () => {
    const s = seed.simple({}, { html: '<a href="%%CLICK_URL%%"><b>Big offer</b></a>' });
    await refreshIndex(app);
    const body = await json(await decide(s.zoneId));
    expect(body.creative.imageUrl).toBeUndefined();
    expect(body.creative.html).toBe(`<a href="${body.clickUrl}"><b>Big offer</b></a>`);
  });

  it('answers 400 for a missing or malformed zone or keywords, 404 for an unknown zone, as JSON with CORS', async () => {
    for (const q of ['', '?zone=', '?zone=42', '?zone=zon_ABC', `?zone=${testId('zone')}x`, '?zone=cmp_aaaaaaaaaaaaaaaa']) {
      const res = await fetch(`${app.deliveryUrl}/v1/decision${q}`);
      expect(res.status, q).toBe(400);
      expect((await json(res)).error.code).toBe('bad_request');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    }
    const s = seed.simple();
    await refreshIndex(app);
    for (const kw of ['a%20b', '!!', ',', 'x'.repeat(41), Array.from({ length: 21 }, (_, i) => `k${i}`).join(',')]) {
      expect(await status(s.zoneId, `&kw=${kw}`), kw).toBe(400);
    }
    const unknown = await decide(testId('zone'));
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error).toEqual({ code: 'not_found', message: 'No zone with this id.' });
  });

  it('answers 204 when nothing is eligible', async () => {
    const cases: Record<string, string> = {
      paused: seed.simple({ status: 'paused' }).zoneId,
      draft: seed.simple({ status: 'draft' }).zoneId,
      notStarted: seed.simple({ startsAt: new Date(clock.now().getTime() + 3_600_000) }).zoneId,
      ended: seed.simple({ startsAt: new Date(clock.now().getTime() - 10 * DAY), endsAt: new Date(clock.now().getTime() - 1000) }).zoneId,
      creativePaused: seed.simple({}, { status: 'paused' }).zoneId,
      restrictedAdvertiser: seed.simple({ customerId: seed.customer('restricted') }).zoneId,
      invalidTargeting: seed.simple({ targeting: '{"keywords":"not-a-list"}' }).zoneId,
      unparsableTargeting: seed.simple({ targeting: '{oops' }).zoneId,
    };
    // Wrong size: a 728×90 creative in a 300×250 zone.
    const p = seed.placement(300, 250);
    seed.creative(seed.campaign({ zoneIds: [p.zoneId] }), { width: 728, height: 90 });
    cases.wrongSize = p.zoneId;
    // Not linked: the campaign runs elsewhere.
    const q = seed.placement();
    seed.creative(seed.campaign({ zoneIds: [seed.placement().zoneId] }));
    cases.notLinked = q.zoneId;
    // Restricted publisher: its zones serve nothing.
    const pubCustomer = seed.customer('restricted');
    const pubZone = seed.zone(seed.site(pubCustomer));
    seed.creative(seed.campaign({ zoneIds: [pubZone] }));
    cases.restrictedPublisher = pubZone;
    const empty = seed.placement();
    cases.noCampaign = empty.zoneId;
    await refreshIndex(app);
    for (const [name, zoneId] of Object.entries(cases)) {
      const res = await decide(zoneId);
      expect(res.status, name).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await res.text()).toBe('');
    }
  });

  it('stops at the daily cap (served decisions per UTC day) and resumes the next day', async () => {
    const s = seed.simple({ dailyCap: 2 });
    await refreshIndex(app);
    expect([await status(s.zoneId), await status(s.zoneId), await status(s.zoneId)]).toEqual([200, 200, 204]);
    const before = clock.now();
    clock.set('2025-06-03T00:00:10Z');
    try {
      expect(await status(s.zoneId)).toBe(200);
    } finally {
      clock.set(before);
    }
  });

  it('paces an impression goal evenly over the flight', async () => {
    // 1 % of a 100-day flight has elapsed: 1 allowed, plus a slack of 1 → two decisions, then none.
    const now = clock.now().getTime();
    const s = seed.simple({ impressionGoal: 100, startsAt: new Date(now - DAY), endsAt: new Date(now + 99 * DAY) });
    await refreshIndex(app);
    expect([await status(s.zoneId), await status(s.zoneId), await status(s.zoneId)]).toEqual([200, 200, 204]);
    // A day later 2 % has elapsed: 2 + 1 = 3 allowed, so one more.
    clock.advance(DAY);
    try {
      expect(await status(s.zoneId)).toBe(200);
      expect(await status(s.zoneId)).toBe(204);
    } finally {
      clock.set('2025-06-02T10:30:00Z');
    }
  });

  it('stops when the goal is reached', async () => {
    const now = clock.now().getTime();
    const s = seed.simple({ impressionGoal: 3, startsAt: new Date(now - 99 * DAY), endsAt: new Date(now + DAY) });
    await refreshIndex(app);
    expect([await status(s.zoneId), await status(s.zoneId), await status(s.zoneId), await status(s.zoneId)]).toEqual([200, 200, 200, 204]);
  });

  it('targets keywords: any overlap with kw, none when the page has no keywords', async () => {
    const s = seed.simple({ targeting: { keywords: ['sport', 'tennis'] } });
    await refreshIndex(app);
    expect(await status(s.zoneId)).toBe(204);
    expect(await status(s.zoneId, '&kw=news')).toBe(204);
    expect(await status(s.zoneId, '&kw=News,Sport')).toBe(200);
    expect(await status(s.zoneId, '&kw=tennis')).toBe(200);
  });

  it('targets the device class from the user agent', async () => {
    const s = seed.simple({ targeting: { devices: ['mobile'] } });
    const t = seed.simple({ targeting: { devices: ['tablet', 'desktop'] } });
    await refreshIndex(app);
    expect(await status(s.zoneId, '', DESKTOP_UA)).toBe(204);
    expect(await status(s.zoneId, '', IPHONE_UA)).toBe(200);
    expect(await status(s.zoneId, '', TABLET_UA)).toBe(204);
    expect(await status(t.zoneId, '', TABLET_UA)).toBe(200);
    expect(await status(t.zoneId, '', 'curl/8.5.0')).toBe(204);
  });

  it('targets hour of day and weekday in Europe/Berlin', async () => {
    const local = seed.simple({ targeting: { hours: [12], weekdays: [1] } });
    const utcHour = seed.simple({ targeting: { hours: [10] } });
    const sunday = seed.simple({ targeting: { weekdays: [0] } });
    await refreshIndex(app);
    expect(await status(local.zoneId)).toBe(200);
    expect(await status(utcHour.zoneId)).toBe(204);
    expect(await status(sunday.zoneId)).toBe(204);
    clock.set('2025-06-02T11:00:00Z'); // 13:00 in Berlin
    try {
      expect(await status(local.zoneId)).toBe(204);
      clock.set('2025-06-08T09:00:00Z'); // Sunday 11:00 in Berlin
      expect(await status(sunday.zoneId)).toBe(200);
    } finally {
      clock.set('2025-06-02T10:30:00Z');
    }
  });

  it('prefers the highest priority whatever the weights', async () => {
    const p = seed.placement();
    const high = seed.campaign({ zoneIds: [p.zoneId], priority: 8, weight: 1 });
    const low = seed.campaign({ zoneIds: [p.zoneId], priority: 5, weight: 100 });
    const highCreative = seed.creative(high);
    seed.creative(low);
    await refreshIndex(app);
    for (let i = 0; i < 40; i++) expect((await json(await decide(p.zoneId))).creative.id).toBe(highCreative);
  });

  it('falls back to a lower priority when the higher one is capped', async () => {
    const p = seed.placement();
    const high = seed.campaign({ zoneIds: [p.zoneId], priority: 9, dailyCap: 1 });
    const low = seed.campaign({ zoneIds: [p.zoneId], priority: 2 });
    const a = seed.creative(high);
    const b = seed.creative(low);
    await refreshIndex(app);
    expect((await json(await decide(p.zoneId))).creative.id).toBe(a);
    expect((await json(await decide(p.zoneId))).creative.id).toBe(b);
  });

  it('picks among equal priorities in proportion to campaign weight', async () => {
    const p = seed.placement();
    const light = seed.campaign({ zoneIds: [p.zoneId], weight: 1 });
    const heavy = seed.campaign({ zoneIds: [p.zoneId], weight: 3 });
    const lightCreative = seed.creative(light);
    // Two creatives share the heavy campaign's weight; together they still get 3/4.
    const heavyCreatives = [seed.creative(heavy), seed.creative(heavy)];
    await refreshIndex(app);
    const counts = new Map<string, number>();
    const n = 1200;
    for (let i = 0; i < n; i++) {
      const id = (await json(await decide(p.zoneId))).creative.id as string;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const heavyShare = ((counts.get(heavyCreatives[0]!) ?? 0) + (counts.get(heavyCreatives[1]!) ?? 0)) / n;
    // Expected 0.75, σ = sqrt(0.75·0.25/1200) ≈ 0.0125; ±0.06 is about 5σ.
    expect(heavyShare).toBeGreaterThan(0.69);
    expect(heavyShare).toBeLessThan(0.81);
    expect((counts.get(lightCreative) ?? 0) / n).toBeGreaterThan(0.19);
    expect(Math.abs((counts.get(heavyCreatives[0]!) ?? 0) - (counts.get(heavyCreatives[1]!) ?? 0)) / n).toBeLessThan(0.1);
  });

  it('rebuilds the index after a data-changed event, not before', async () => {
    const s = seed.simple();
    expect(await status(s.zoneId)).toBe(404); // not in the index yet: no query per request
    await refreshIndex(app);
    expect(await status(s.zoneId)).toBe(200);
    app.ctx.db.prepare("UPDATE campaigns SET status = 'paused' WHERE id = ?").run(s.campaignId);
    expect(await status(s.zoneId)).toBe(200);
    await refreshIndex(app);
    expect(await status(s.zoneId)).toBe(204);
    app.ctx.db.prepare("UPDATE campaigns SET status = 'active' WHERE id = ?").run(s.campaignId);
    app.ctx.db.prepare("UPDATE customers SET status = 'restricted' WHERE id = (SELECT customer_id FROM campaigns WHERE id = ?)").run(s.campaignId);
    await refreshIndex(app);
    expect(await status(s.zoneId)).toBe(204);
  });
});
