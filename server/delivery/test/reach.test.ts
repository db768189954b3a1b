import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HLL_STANDARD_ERROR } from '../../stats/hyperloglog';
import { scopedSeries } from '../../stats/stats-query';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock } from './seed';

const DAY1 = '2025-06-02';
const DAY2 = '2025-06-03';
const clock = testClock(`${DAY1}T10:00:00Z`);
/** Distinct (address, user agent) pairs: two user agents per address, so the user agent must count too. */
const VISITORS = 1_500;
const address = (i: number) => `10.${(i >> 9) & 255}.${(i >> 1) & 255}.${200 + ((i >> 1) % 50)}`;
const userAgent = (i: number) => `Mozilla/5.0 (X11; Linux x86_64) ReachTest/${i & 1 ? 'odd' : 'even'}-${i % 13}`;

let app: TestApp;
let dataDir: string;
let seed: Seeder;
let analyst: AdminClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-reach-'));
  // The test client connects over loopback: trusting it makes X-Forwarded-For the client address.
  app = await startTestApp({ dataDir, trustProxy: ['127.0.0.1', '::1'], reach: true, timeZone: 'UTC' }, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.data-key`, { force: true });
});

const headers = (i: number) => ({ 'x-forwarded-for': address(i), 'user-agent': userAgent(i) });

/** A decision for visitor i in `zoneId` and, when served, its impression pixel (from the same visitor); the status. */
async function visit(base: string, zoneId: string, i: number): Promise<number> {
  const res = await fetch(`${base}/v1/decision?zone=${zoneId}`, { headers: headers(i) });
  if (res.status !== 200) return res.status;
  const d = await json(res);
  const pixel = await fetch(d.impressionUrl, { headers: headers(i) });
  await pixel.arrayBuffer();
  expect(pixel.status).toBe(200);
  return 200;
}

/** Every visitor in order, some of them twice (repeats must not count), 25 at a time. */
async function population(base: string, zoneId: string, ids: readonly number[]): Promise<void> {
  const visits = ids.flatMap((i) => (i % 4 === 0 ? [i, i] : [i]));
  for (let at = 0; at < visits.length; at += 25) {
    const statuses = await Promise.all(visits.slice(at, at + 25).map((i) => visit(base, zoneId, i)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  }
}

const dayPoint = async (client: AdminClient, campaignId: string, day: string, extra = '') => {
  const res = await client.get(`/api/stats?campaignId=${campaignId}&from=${day}&to=${day}T23:59:59Z&granularity=day${extra}`);
  expect(res.status).toBe(200);
  return res.body.series[0].points[0];
};

/** Every file under `dir`, binary included. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('cookieless reach (--reach)', () => {
  let reached: { campaignId: string; zoneId: string; siteId: string };
  const day1Hashes: string[] = [];

  it('estimates the distinct visitors of a campaign-day within HyperLogLog error; hours and breakdowns carry null', async () => {
    reached = seed.simple();
    await refreshIndex(app);
    const ids = Array.from({ length: VISITORS }, (_, i) => i);
    await population(app.deliveryUrl, reached.zoneId, ids);
    const p = await dayPoint(analyst, reached.campaignId, DAY1);
    expect(p.impressions).toBe(VISITORS + VISITORS / 4);
    expect(Math.abs(p.reach - VISITORS), `reach ${p.reach} of ${VISITORS}`).toBeLessThanOrEqual(3 * HLL_STANDARD_ERROR * VISITORS);
    // The sketch is per campaign and day: no hourly or per-zone reach.
    expect((await dayPoint(analyst, reached.campaignId, DAY1, '&by=zone')).reach).toBeNull();
    const hourly = await analyst.get(`/api/stats?campaignId=${reached.campaignId}&from=${DAY1}T10:00:00Z&to=${DAY1}T11:00:00Z&granularity=hour`);
    expect(hourly.body.series[0].points[0].reach).toBeNull();
    const summary = await analyst.get(`/api/stats/summary?from=${DAY1}&to=${DAY2}`);
    const totals = summary.body.campaigns.find((c: { campaignId: string }) => c.campaignId === reached.campaignId);
    expect(totals.reachDailySum).toBe(p.reach);
    // Only registers are stored: one row, no hash.
    const rows = app.ctx.db.prepare('SELECT campaign_id, day, length(registers) AS bytes FROM stats_reach_daily').all();
    expect(rows).toEqual([{ campaign_id: reached.campaignId, day: Date.parse(DAY1) / 1000, bytes: expect.any(Number) }]);
    for (const i of ids) day1Hashes.push(app.services.visitors.key.hash(clock.now().getTime(), address(i), userAgent(i), reached.siteId));
    expect(new Set(day1Hashes).size).toBe(VISITORS);
  });

  it("merges a customer's campaigns into one daily reach: a visitor of both counts once", async () => {
    const advertiser = seed.customer();
    // One site: the hash includes the site, so one person on two sites is two visitors.
    const siteId = seed.site(seed.customer());
    const zones = [seed.zone(siteId), seed.zone(siteId)];
    const campaigns = zones.map((zoneId) => {
      const id = seed.campaign({ customerId: advertiser, zoneIds: [zoneId] });
      seed.creative(id);
      return id;
    });
    await refreshIndex(app);
    const range = (from: number) => Array.from({ length: 200 }, (_, i) => from + i);
    await population(app.deliveryUrl, zones[0]!, range(0));
    await population(app.deliveryUrl, zones[1]!, range(100));
    app.services.stats.flush();
    const customer = scopedSeries(app.services.stats.repo, { kind: 'customer', id: advertiser }, { from: Date.parse(DAY1), to: Date.parse(DAY2), granularity: 'day' }, app.services.stats.reachSource);
    const perCampaign = await Promise.all(campaigns.map(async (id) => (await dayPoint(analyst, id, DAY1)).reach));
    expect(perCampaign.map((r) => Math.abs(r - 200) <= 10)).toEqual([true, true]);
    expect(Math.abs(customer.series[0]!.points[0]!.reach! - 300)).toBeLessThanOrEqual(12);
  });

  it('holds a per-visitor daily cap on day 1, per visitor and per campaign', async () => {
    const capped = seed.simple();
    // Set through the API, as the console's campaign form does (validated: 1–1000 or null).
    const manager = await signInAs(app, 'manager');
    for (const bad of [0, 1.5, 1001, '2']) expect((await manager.patch(`/api/campaigns/${capped.campaignId}`, { visitorDailyCap: bad })).status).toBe(400);
    const patched = await manager.patch(`/api/campaigns/${capped.campaignId}`, { visitorDailyCap: 2 });
    expect(patched.status).toBe(200);
    expect(patched.body.visitorDailyCap).toBe(2);
    expect((await manager.get(`/api/campaigns/${reached.campaignId}`)).body.visitorDailyCap).toBeNull();
    await refreshIndex(app);
    const v = 7;
    const w = 8;
    expect([await visit(app.deliveryUrl, capped.zoneId, v), await visit(app.deliveryUrl, capped.zoneId, v)]).toEqual([200, 200]);
    expect(await visit(app.deliveryUrl, capped.zoneId, v)).toBe(204);
    // Another visitor (same address, other user agent) has its own count.
    expect(address(v)).not.toBe(address(w));
    expect(address(6)).toBe(address(v));
    expect(await visit(app.deliveryUrl, capped.zoneId, 6)).toBe(200);
    expect(await visit(app.deliveryUrl, capped.zoneId, w)).toBe(200);
    // The uncapped campaign's zone never consulted the table: only capped decisions are in it.
    expect(app.services.visitors.caps.size).toBe(3);
    // A page decision honours the cap too.
    const page = await fetch(`${app.deliveryUrl}/v1/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers(v) },
      body: JSON.stringify({ placements: [{ zone: capped.zoneId }, { zone: reached.zoneId }] }),
    }).then(json);
    expect(page.placements.map((p: { decision: unknown }) => p.decision !== null)).toEqual([false, true]);

    // Day 2: a new key, so yesterday's hash of a visitor no longer matches, and the caps start over.
    clock.set(`${DAY2}T00:00:05Z`);
    expect(await visit(app.deliveryUrl, capped.zoneId, v)).toBe(200);
    // The server replaced the key at its first use of the day: yesterday's counts are gone.
    expect(app.services.visitors.caps.size).toBe(1);
    const after = app.services.visitors.key.hash(clock.now().getTime(), address(v), userAgent(v), reached.siteId);
    expect(after).not.toBe(day1Hashes[v]);
    expect(day1Hashes).not.toContain(after);
    expect(await visit(app.deliveryUrl, capped.zoneId, v)).toBe(200);
    expect(await visit(app.deliveryUrl, capped.zoneId, v)).toBe(204);
  });

  it('starts a new sketch on day 2 and continues today\'s after a restart', async () => {
    await population(app.deliveryUrl, reached.zoneId, [1, 2, 3, 5]);
    analyst = await signInAs(app, 'analyst'); // yesterday's session has run out on the test clock
    // Four visitors (a collision of two in one register would show 3).
    expect([3, 4]).toContain((await dayPoint(analyst, reached.campaignId, DAY2)).reach);
    expect(Math.abs((await dayPoint(analyst, reached.campaignId, DAY1)).reach - VISITORS)).toBeLessThanOrEqual(3 * HLL_STANDARD_ERROR * VISITORS);
    await app.stop();
    app = await startTestApp({ dataDir, trustProxy: ['127.0.0.1', '::1'], reach: true, timeZone: 'UTC' }, { now: clock.now });
    analyst = await signInAs(app, 'analyst');
    await refreshIndex(app);
    // After a restart the key is new: a returning visitor (1) counts again, a new one (9) too.
    await population(app.deliveryUrl, reached.zoneId, [1, 9]);
    // Without the day's registers loaded back and merged this would be 2.
    expect((await dayPoint(analyst, reached.campaignId, DAY2)).reach).toBeGreaterThanOrEqual(5);
  });

  it('leaves no address, user agent or visitor hash (hex or raw) anywhere in the data directory', async () => {
    const extra = [1, 2, 3, 5, 9].map((i) => app.services.visitors.key.hash(clock.now().getTime(), address(i), userAgent(i), reached.siteId));
    await app.stop();
    const needles: Array<[string, Buffer]> = [];
    for (let i = 0; i < VISITORS; i += 1) {
      if (i % 2 === 0) needles.push([`address ${address(i)}`, Buffer.from(address(i))]);
      if (i < 26) needles.push([`user agent ${userAgent(i)}`, Buffer.from(userAgent(i))]);
    }
    needles.push(['user agent prefix', Buffer.from('ReachTest/')]);
    for (const h of [...day1Hashes, ...extra]) {
      const raw = Buffer.from(h, 'latin1');
      needles.push([`hash ${raw.toString('hex')}`, raw], [`hex hash ${raw.toString('hex')}`, Buffer.from(raw.toString('hex'))], [`HEX hash`, Buffer.from(raw.toString('hex').toUpperCase())]);
    }
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('store.sqlite'))).toBe(true);
    const found: string[] = [];
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const [what, needle] of needles) if (bytes.includes(needle)) found.push(`${what} in ${path.relative(dataDir, f)}`);
    }
    expect(found).toEqual([]);
    // The grep itself works: the campaign id is there in plain text.
    expect(files.some((f) => fs.readFileSync(f).includes(Buffer.from(reached.campaignId)))).toBe(true);
    app = await startTestApp({ dataDir, trustProxy: ['127.0.0.1', '::1'], reach: true, timeZone: 'UTC' }, { now: clock.now });
  });
});

describe('reach off (the default)', () => {
  it('hashes nothing, keeps no sketch, and reports reach null (not measured)', async () => {
    const off = await startTestApp({ trustProxy: ['127.0.0.1', '::1'], timeZone: 'UTC' }, { now: testClock(`${DAY1}T10:00:00Z`).now });
    try {
      expect(off.services.stats.reach).toBeNull();
      const s = new Seeder(off.ctx.db, new Date(`${DAY1}T10:00:00Z`)).simple();
      await refreshIndex(off);
      await population(off.deliveryUrl, s.zoneId, [1, 2, 3, 4]);
      expect(off.services.visitors.key.hasKey).toBe(false);
      const client = await signInAs(off, 'analyst');
      const p = await dayPoint(client, s.campaignId, DAY1);
      expect(p.impressions).toBe(5);
      expect(p.reach).toBeNull();
      expect(off.ctx.db.prepare('SELECT COUNT(*) FROM stats_reach_daily').pluck().get()).toBe(0);
      // The privacy-statement templates name both features (worded "if enabled": the templates have no conditions).
      const en = await fetch(`${off.portalUrl}/privacy`).then((r) => r.text());
      const de = await fetch(`${off.portalUrl}/datenschutz`).then((r) => r.text());
      expect(en).toContain('Reach and frequency caps (if enabled)');
      expect(en).toContain('replaced by a new one every day');
      expect(de).toContain('Reichweite und Kontaktbegrenzung (falls eingeschaltet)');
    } finally {
      await off.dispose();
    }
  });
});
