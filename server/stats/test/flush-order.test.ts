import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DayClock } from '../../../common/local-clock';
import { openDatabase, type Db } from '../../store/database';
import { inKeyOrder, StatsRepo, type RollupDelta } from '../stats-repo';

// The flush writes its deltas in the rollups' key order (inKeyOrder) so each slice touches few B-tree
// pages. Where rows are written must not change what is written: random deltas (several campaigns,
// hours across a Berlin midnight, keys drawn many times) written in key order, in random order and
// in slices must leave the same three rollup tables, equal to a sum made here without SQL.
const BERLIN = 'Europe/Berlin';
const HOUR = 3_600;
const FIRST_HOUR = Date.parse('2026-03-28T20:00:00Z') / 1000;

let seedValue = 20_261_214;
const random = (n: number): number => (seedValue = (seedValue * 1_103_515_245 + 12_345) % 2_147_483_648) % n;

function randomDeltas(count: number): RollupDelta[] {
  const out: RollupDelta[] = [];
  for (let i = 0; i < count; i++) {
    const c = random(6);
    out.push({
      hour: FIRST_HOUR + random(8) * HOUR,
      campaignId: `cmp_${c}`,
      creativeId: `crv_${c}_${random(2)}`,
      zoneId: `zon_${random(4)}`,
      siteId: `sit_${random(2)}`,
      country: ['', 'DE', 'AT'][random(3)]!,
      served: random(5),
      impressions: random(4),
      clicks: random(2),
      viewable: random(3),
      measurable: random(3),
    });
  }
  return out;
}

const COUNTS = ['served', 'impressions', 'clicks', 'viewable', 'measurable'] as const;

/** The three rollups as an independent sum of the deltas: hourly, daily (Berlin days) and per campaign and day. */
function expected(deltas: readonly RollupDelta[]): { hourly: unknown[]; daily: unknown[]; campaignDaily: unknown[] } {
  const days = new DayClock(BERLIN);
  const sum = (m: Map<string, number[]>, key: string, d: RollupDelta) => m.set(key, (m.get(key) ?? [0, 0, 0, 0, 0]).map((v, i) => v + d[COUNTS[i]!]));
  const hourly = new Map<string, number[]>();
  const daily = new Map<string, number[]>();
  const campaignDaily = new Map<string, number[]>();
  for (const d of deltas) {
    const day = days.dayOf(d.hour * 1000) / 1000;
    const dims = [d.creativeId, d.zoneId, d.siteId, d.country].join('\t');
    sum(hourly, `${d.campaignId}\t${d.hour}\t${dims}`, d);
    sum(daily, `${d.campaignId}\t${day}\t${dims}`, d);
    sum(campaignDaily, `${d.campaignId}\t${day}`, d);
  }
  const rows = (m: Map<string, number[]>) =>
    [...m.keys()].sort().map((k) => {
      const [campaign, time, ...rest] = k.split('\t');
      return [campaign, Number(time), ...rest, ...m.get(k)!];
    });
  return { hourly: rows(hourly), daily: rows(daily), campaignDaily: rows(campaignDaily) };
}

function stored(db: Db): { hourly: unknown[]; daily: unknown[]; campaignDaily: unknown[] } {
  const counts = COUNTS.join(', ');
  return {
    hourly: db.prepare(`SELECT campaign_id, hour, creative_id, zone_id, site_id, country, ${counts} FROM stats_hourly ORDER BY 1, 2, 3, 4, 5, 6`).raw().all(),
    daily: db.prepare(`SELECT campaign_id, day, creative_id, zone_id, site_id, country, ${counts} FROM stats_daily ORDER BY 1, 2, 3, 4, 5, 6`).raw().all(),
    campaignDaily: db.prepare(`SELECT campaign_id, day, ${counts} FROM stats_campaign_daily ORDER BY 1, 2`).raw().all(),
  };
}

describe('the flush in key order', () => {
  const dirs: string[] = [];
  const dbs: Db[] = [];
  afterAll(() => {
    for (const db of dbs) db.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  const fresh = (): { repo: StatsRepo; db: Db } => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-flush-order-'));
    dirs.push(dir);
    const db = openDatabase(dir);
    dbs.push(db);
    const repo = new StatsRepo(db, new DayClock(BERLIN));
    repo.ensureDaily();
    return { repo, db };
  };

  it('orders deltas as SQLite orders the rollup keys', () => {
    const deltas = inKeyOrder(randomDeltas(400));
    const { repo, db } = fresh();
    repo.transaction(() => repo.addAll(deltas));
    const keys = deltas.map((d) => [d.campaignId, d.hour, d.creativeId, d.zoneId, d.siteId, d.country].join('\t'));
    const distinct = keys.filter((k, i) => i === 0 || k !== keys[i - 1]);
    const sqlOrder = db.prepare("SELECT campaign_id || char(9) || hour || char(9) || creative_id || char(9) || zone_id || char(9) || site_id || char(9) || country FROM stats_hourly ORDER BY campaign_id, hour, creative_id, zone_id, site_id, country").pluck().all();
    expect(distinct).toEqual(sqlOrder);
  });

  it('writes the same rollups in key order, in random order and in slices, equal to an independent sum', () => {
    for (let round = 0; round < 5; round++) {
      const flushes = [randomDeltas(300), randomDeltas(200), randomDeltas(500)];
      const want = expected(flushes.flat());
      const sorted = fresh();
      const unsorted = fresh();
      const sliced = fresh();
      for (const deltas of flushes) {
        unsorted.repo.transaction(() => unsorted.repo.addAll(deltas));
        const ordered = inKeyOrder([...deltas]);
        sorted.repo.transaction(() => sorted.repo.addAll(ordered));
        for (let i = 0; i < ordered.length; i += 37) sliced.repo.transaction(() => sliced.repo.addAll(ordered.slice(i, i + 37)));
      }
      expect(stored(sorted.db)).toEqual(want);
      expect(stored(unsorted.db)).toEqual(want);
      expect(stored(sliced.db)).toEqual(want);
    }
  });
});
