// Property test of the incremental zone index: after every random campaign change (made in the store
// with SQL, announced with the event the catalogue emits, or unnamed so that the index re-reads all rows
// and rebuilds what differs), the updated index must hold exactly what a full build over the same rows holds.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StatsCounters } from '../../stats/stats-counters';
import { startTestApp, type TestApp } from '../../test/test-app';
import { DeliverySnapshotRepo } from '../delivery-snapshot-repo';
import { REBUILD_INTERVAL_MS, REREAD_EVERY_TICKS, ZoneIndex } from '../zone-index';
import { tokenTail } from '../tokens';
import { buildSnapshot, candidateStats, candidateTail, type CampaignRule, type Candidate, type ZoneSnapshot } from '../zone-snapshot';
import { Seeder, testClock } from './seed';

const clock = testClock('2025-06-02T10:30:00Z');
const NOW = clock.now().getTime();
const DAY = 86_400_000;
const SIZES: Array<[number, number]> = [[300, 250], [728, 90], [160, 600]];
const STEPS = 200;

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]! };
}

const rulePlain = (r: CampaignRule) => ({
  ...r,
  served: r.served.constructor.name,
  targeting: { ...r.targeting, keywords: r.targeting.keywords ? [...r.targeting.keywords].sort() : null, countries: r.targeting.countries ? [...r.targeting.countries] : null },
});
const candidatePlain = (c: Candidate) => ({ ...c, rule: c.rule.id, stats: null, statsByCountry: null, tokenTail: null });
const sorted = <T>(m: ReadonlyMap<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The snapshot as plain, order-independent data (maps sorted by key; candidate order kept: it is the ranking). */
function plain(s: ZoneSnapshot) {
  return {
    baseUrl: s.baseUrl,
    rules: sorted(s.rules).map(([id, r]) => [id, rulePlain(r)]),
    creatives: sorted(s.creatives),
    zones: sorted(s.zones).map(([id, z]) => [id, { ...z, candidates: z.candidates.map(candidatePlain) }]),
    // Every candidate must point at the very rule object the snapshot holds for its campaign.
    sharedRules: [...s.zones.values()].every((z) => z.candidates.every((c) => s.rules.get(c.rule.id) === c.rule)),
  };
}

let app: TestApp;
let seed: Seeder;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
});
afterAll(() => app.dispose());

describe('ZoneIndex incremental update', () => {
  it('gives the same index as a full rebuild after every random campaign change', () => {
    const r = rng(20260603);
    const db = app.ctx.db;
    const counters = new StatsCounters();
    const zones: Array<{ id: string; w: number; h: number }> = [];
    for (let s = 0; s < 4; s++) {
      const site = seed.site(seed.customer());
      for (let z = 0; z < 5; z++) {
        const [w, h] = r.pick(SIZES);
        zones.push({ id: seed.zone(site, w, h), w, h });
      }
    }
    const customer = seed.customer();
    const campaigns: string[] = [];
    const creatives: string[] = [];
    const newCreative = (campaignId: string) => {
      const [w, h] = r.pick(SIZES);
      creatives.push(seed.creative(campaignId, r.next() < 0.3 ? { width: w, height: h, html: `<p>ad ${creatives.length}</p>` } : { width: w, height: h }));
    };
    for (let i = 0; i < 30; i++) {
      const id = seed.campaign({ customerId: customer, priority: r.int(3) * 5, weight: 1 + r.int(4), zoneIds: zones.filter(() => r.next() < 0.4).map((z) => z.id) });
      campaigns.push(id);
      for (let k = 0, n = 1 + r.int(3); k < n; k++) newCreative(id);
    }
    const index = new ZoneIndex(app.ctx, counters);
    const baseUrl = app.deliveryUrl;
    index.current(baseUrl);
    const repo = new DeliverySnapshotRepo(db);
    const full = () => buildSnapshot(repo.load(), baseUrl, NOW, counters, () => {});

    const set = (table: string, column: string, value: unknown, id: string) => db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(value, id);
    const campaignOf = (creativeId: string) => db.prepare('SELECT campaign_id FROM creatives WHERE id = ?').pluck().get(creativeId) as string;
    const edits: Array<() => string> = [
      () => {
        const c = r.pick(campaigns);
        set('campaigns', 'status', r.pick(['active', 'active', 'paused', 'archived', 'draft']), c);
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        set('campaigns', 'priority', r.int(3) * 5, c);
        set('campaigns', 'weight', r.int(5), c); // 0: not delivered
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        const targeting = r.pick([{}, { keywords: ['sport', 'news'] }, { devices: ['mobile'] }, { countries: ['DE', 'AT'] }, { hours: [9, 10, 11] }, 'not json']);
        set('campaigns', 'targeting', typeof targeting === 'string' ? targeting : JSON.stringify(targeting), c);
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        set('campaigns', 'daily_cap', r.next() < 0.5 ? null : 100 + r.int(100), c);
        set('campaigns', 'visitor_daily_cap', r.next() < 0.5 ? null : 1 + r.int(3), c);
        set('campaigns', 'impression_goal', r.next() < 0.5 ? null : 1000 + r.int(1000), c);
        set('campaigns', 'pacing', r.pick(['even', 'asap']), c);
        set('campaigns', 'exclusivity_group', r.pick([null, 'Cars', 'cars', 'Banks']), c);
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        set('campaigns', 'ends_at', new Date(NOW + (r.next() < 0.3 ? -DAY : 10 * DAY)).toISOString(), c);
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        const z = r.pick(zones).id;
        if (r.next() < 0.5) db.prepare('INSERT OR IGNORE INTO campaign_zones (campaign_id, zone_id) VALUES (?, ?)').run(c, z);
        else db.prepare('DELETE FROM campaign_zones WHERE campaign_id = ? AND zone_id = ?').run(c, r.pick(db.prepare('SELECT zone_id FROM campaign_zones WHERE campaign_id = ?').pluck().all(c) as string[]) ?? z);
        return c;
      },
      () => {
        const c = r.pick(campaigns);
        newCreative(c);
        return c;
      },
      () => {
        const cr = r.pick(creatives);
        set('creatives', 'status', r.pick(['active', 'paused']), cr);
        return campaignOf(cr);
      },
      () => {
        const cr = r.pick(creatives);
        set('creatives', 'archived_at', r.next() < 0.5 ? null : new Date(NOW).toISOString(), cr);
        return campaignOf(cr);
      },
      () => {
        const cr = r.pick(creatives);
        set('creatives', 'landing_url', r.pick(['https://advertiser.example/a', 'https://advertiser.example/b?x=1', 'javascript:alert(1)']), cr);
        set('creatives', 'alt', r.pick(['Ad', 'Anzeige – Größe']), cr);
        return campaignOf(cr);
      },
    ];

    const kinds = new Map<string, number>();
    for (let step = 0; step < STEPS; step++) {
      // One to three changes per debounce window, as a burst of edits would bring; every other burst is
      // announced without naming the campaigns (as a customer's change or the minute tick finds them).
      const named = step % 2 === 0;
      for (let k = 0, n = 1 + r.int(3); k < n; k++) {
        const campaignId = r.pick(edits)();
        app.ctx.events.emit('data-changed', named ? { what: 'campaign', campaignId } : { what: 'customer' });
      }
      const updated = index.fresh();
      expect(index.lastBuild.kind).toBe(named ? 'campaigns' : 'reread');
      kinds.set(index.lastBuild.kind, (kinds.get(index.lastBuild.kind) ?? 0) + 1);
      expect(plain(updated), `step ${step}`).toEqual(plain(full()));
    }
    expect(kinds.get('campaigns')).toBeGreaterThan(STEPS / 4);
    expect(kinds.get('reread')).toBeGreaterThan(STEPS / 4);

    // A change that is not one campaign's (a zone archived) rebuilds everything, and still agrees.
    set('zones', 'archived_at', new Date(NOW).toISOString(), zones[0]!.id);
    app.ctx.events.emit('data-changed', { what: 'zone' });
    expect(plain(index.fresh())).toEqual(plain(full()));
    expect(index.lastBuild.kind).toBe('full');
  });
});

describe('the zone index\'s minute tick', () => {
  it('is built once: at start when the delivery address is known, else by the first current() once it is', () => {
    const built = (calls: unknown[][]) => calls.filter(([message]) => String(message).startsWith('zone index built')).length;
    const known = vi.spyOn(app.ctx.log, 'info');
    const stops: Array<() => void | Promise<void>> = [];
    try {
      new ZoneIndex({ ...app.ctx, onStop: (fn) => void stops.push(fn) }, new StatsCounters());
      expect(built(known.mock.calls)).toBe(1);
      known.mockClear();
      // No public URL, not listening yet: the rows are read, the build waits for the address.
      const ctx = { ...app.ctx, deliveryBaseUrl: () => '', onStop: (fn: () => void | Promise<void>) => void stops.push(fn) };
      const index = new ZoneIndex(ctx, new StatsCounters());
      expect(built(known.mock.calls)).toBe(0);
      const { campaignId } = seed.simple();
      // A change heard before the first build: the store is read again, the index stays unbuilt.
      ctx.events.emit('data-changed', { what: 'zone' });
      index.rebuild();
      expect(built(known.mock.calls)).toBe(0);
      const first = index.current('http://ads.example');
      expect(built(known.mock.calls)).toBe(1);
      expect(first.rules.has(campaignId)).toBe(true);
      expect(plain(first)).toEqual(plain(buildSnapshot(new DeliverySnapshotRepo(app.ctx.db).load(), 'http://ads.example', NOW, new StatsCounters(), () => {})));
      expect(index.current('http://ads.example')).toBe(first);
      expect(built(known.mock.calls)).toBe(1);
    } finally {
      known.mockRestore();
      for (const stop of stops) void stop();
    }
  });

  it('drops a campaign whose flight ended from memory, and reads the store again only every quarter of an hour', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let now = NOW;
      const stops: Array<() => void | Promise<void>> = [];
      const ctx = { ...app.ctx, now: () => new Date(now), onStop: (fn: () => void | Promise<void>) => void stops.push(fn) };
      const ending = seed.simple({ endsAt: new Date(NOW + 30_000) });
      const staying = seed.simple();
      const repo = DeliverySnapshotRepo.prototype;
      const index = new ZoneIndex(ctx, new StatsCounters());
      expect(index.current('http://x').rules.has(ending.campaignId)).toBe(true);
      const reads = vi.spyOn(repo, 'load');
      now += REBUILD_INTERVAL_MS;
      vi.advanceTimersByTime(REBUILD_INTERVAL_MS);
      const after = index.current('http://x');
      expect(after.rules.has(ending.campaignId)).toBe(false);
      expect(after.zones.get(ending.zoneId)!.candidates).toEqual([]);
      expect(after.rules.has(staying.campaignId)).toBe(true);
      expect(reads).not.toHaveBeenCalled();
      // The same as a full build at that moment (that build's read is the first one counted).
      expect(plain(after)).toEqual(plain(buildSnapshot(new DeliverySnapshotRepo(app.ctx.db).load(), 'http://x', now, new StatsCounters(), () => {})));
      vi.advanceTimersByTime(REBUILD_INTERVAL_MS * (REREAD_EVERY_TICKS - 2));
      expect(reads).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(REBUILD_INTERVAL_MS);
      expect(reads).toHaveBeenCalledTimes(2);
      reads.mockRestore();
      for (const stop of stops) void stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('makes the statistics keys and token tail of a candidate at its first decision, the same as they were made up front', () => {
    const counters = new StatsCounters();
    const s = seed.simple();
    const snapshot = buildSnapshot(new DeliverySnapshotRepo(app.ctx.db).load(), 'http://x', NOW, counters, () => {});
    const c = snapshot.zones.get(s.zoneId)!.candidates[0]!;
    expect([c.stats, c.statsByCountry, c.tokenTail]).toEqual([null, null, null]);
    const key = candidateStats(c, 0, counters);
    expect(key).toMatchObject({ campaignId: s.campaignId, creativeId: s.creativeId, zoneId: s.zoneId, siteId: s.siteId, country: '', key: [s.campaignId, s.creativeId, s.zoneId, s.siteId, ''].join('\t') });
    expect(key.served).toBe(counters.campaign(s.campaignId));
    expect(candidateStats(c, 0, counters)).toBe(key);
    const de = candidateStats(c, 1, counters);
    expect(de).toMatchObject({ campaignId: s.campaignId, creativeId: s.creativeId, zoneId: s.zoneId, siteId: s.siteId, key: [s.campaignId, s.creativeId, s.zoneId, s.siteId, de.country].join('\t') });
    expect(de.country).not.toBe('');
    expect(candidateStats(c, 1, counters)).toBe(de);
    const tail = candidateTail(c);
    expect(tail.equals(tokenTail(s.creativeId, s.zoneId))).toBe(true);
    expect(candidateTail(c)).toBe(tail);
  });
});
