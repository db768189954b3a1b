import { DayClock, DEFAULT_TIME_ZONE } from '../../common/local-clock';
import type { RollupDelta } from './stats-repo';

const HOUR_MS = 3_600_000;

/**
 * Running served counts of one campaign, for its daily cap and pacing. Caps count *served*
 * decisions: they are known the instant an ad is chosen, so a burst of requests can never
 * overshoot a cap while impression pixels are still on their way.
 */
export class CampaignServed {
  /** The operator-local day (its midnight, epoch ms) that `today` belongs to. */
  day = 0;
  today = 0;
  total = 0;
  /** Viewable impressions and clicks so far (all time), for goals of those kinds. */
  viewable = 0;
  clicks = 0;

  constructor(private readonly days: DayClock) {}

  /** Served so far on the operator-local day of `nowMs` (resets at local midnight). */
  servedToday(nowMs: number): number {
    return this.days.dayOf(nowMs) === this.day ? this.today : 0;
  }
}

/** Where a count belongs: one creative of one campaign in one zone of one site, for one country. */
export interface StatsKey {
  campaignId: string;
  creativeId: string;
  zoneId: string;
  siteId: string;
  /** ISO 3166-1 alpha-2 code of the client address's country; '' when unknown. Never the address. */
  country: string;
  /** The ids and country joined; the map key of the pending counters. */
  key: string;
  /** The campaign's running totals, resolved once when the key is made. */
  served: CampaignServed;
}

/**
 * In-memory counters per hour × campaign × creative × zone × site × country, drained by the flusher into
 * the rollup table. Nothing here knows a person: no address, no user agent.
 */
export class StatsCounters {
  private pending = new Map<number, Map<string, RollupDelta>>();
  /** Rows in `pending` (hour × key), for the bound on what a failing flush may keep. */
  private rows = 0;
  private lastHour = -1;
  private lastMap: Map<string, RollupDelta> | undefined;
  private readonly campaigns = new Map<string, CampaignServed>();

  /** `days` decides where "today" of the daily caps begins (the operator time zone). */
  constructor(readonly days: DayClock = new DayClock(DEFAULT_TIME_ZONE)) {}

  /** The running served totals of a campaign (created at zero). */
  campaign(campaignId: string): CampaignServed {
    let c = this.campaigns.get(campaignId);
    if (!c) {
      c = new CampaignServed(this.days);
      this.campaigns.set(campaignId, c);
    }
    return c;
  }

  /**
   * Builds the key of a count; delivery builds one per indexed creative and zone, up front. join() makes
   * one flat string where a template literal would keep a tree of parts until first use (a large
   * catalogue holds 100,000 keys, most unused for a while).
   */
  key(campaignId: string, creativeId: string, zoneId: string, siteId: string, country = ''): StatsKey {
    return { campaignId, creativeId, zoneId, siteId, country, key: [campaignId, creativeId, zoneId, siteId, country].join('\t'), served: this.campaign(campaignId) };
  }

  /** Seeds the running totals from the rollups at start-up. */
  seedServed(rows: ReadonlyArray<{ campaignId: string; servedTotal: number; servedToday: number; viewableTotal: number; clicksTotal: number }>, nowMs: number): void {
    const day = this.days.dayOf(nowMs);
    for (const r of rows) {
      const c = this.campaign(r.campaignId);
      c.total += r.servedTotal;
      c.day = day;
      c.today += r.servedToday;
      c.viewable += r.viewableTotal;
      c.clicks += r.clicksTotal;
    }
  }

  /**
   * Adds counts made elsewhere (a delivery worker's batch) as if counted here: the rollup rows, and
   * the served decisions into their campaign's running totals for caps and pacing.
   */
  merge(deltas: readonly RollupDelta[]): void {
    this.restore(deltas);
    for (const d of deltas) {
      if (d.served === 0) continue;
      const c = this.campaign(d.campaignId);
      const day = this.days.dayOf(d.hour * 1000);
      if (day > c.day) {
        c.day = day;
        c.today = 0;
      }
      if (day === c.day) c.today += d.served;
      c.total += d.served;
    }
  }

  /** Every campaign's running totals (what a delivery worker's replica is kept in step with). */
  campaignTotals(): IterableIterator<[string, CampaignServed]> {
    return this.campaigns.entries();
  }

  /** Counts one served decision (and advances its campaign's cap counters). */
  served(k: StatsKey, nowMs: number): void {
    this.slot(k, nowMs).served++;
    const c = k.served;
    const day = this.days.dayOf(nowMs);
    if (c.day !== day) {
      c.day = day;
      c.today = 0;
    }
    c.today++;
    c.total++;
  }

  /** Counts one impression. */
  impression(k: StatsKey, nowMs: number): void {
    this.slot(k, nowMs).impressions++;
  }

  /** Counts one click (and its campaign's running click total). */
  click(k: StatsKey, nowMs: number): void {
    this.slot(k, nowMs).clicks++;
    k.served.clicks++;
  }

  /** Counts one viewable impression (and its campaign's running viewable total). */
  viewable(k: StatsKey, nowMs: number): void {
    this.slot(k, nowMs).viewable++;
    k.served.viewable++;
  }

  /** Counts one impression of a placement that could measure viewability. */
  measurable(k: StatsKey, nowMs: number): void {
    this.slot(k, nowMs).measurable++;
  }

  /** Whether anything waits to be flushed. */
  get dirty(): boolean {
    return this.pending.size > 0;
  }

  /** Rollup rows waiting to be flushed. */
  get pendingRows(): number {
    return this.rows;
  }

  /** Takes every pending count out (the caller writes them, or gives them back with `restore`). */
  drain(): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const m of this.pending.values()) for (const p of m.values()) out.push(p);
    this.pending = new Map();
    this.rows = 0;
    this.lastHour = -1;
    this.lastMap = undefined;
    return out;
  }

  /**
   * Keeps at most `maxRows` rows by dropping whole hours, oldest first (memory stays bounded while
   * flushes keep failing); returns the counts dropped (served + impressions + clicks + viewable + measurable).
   */
  trim(maxRows: number): number {
    if (this.rows <= maxRows) return 0;
    let dropped = 0;
    for (const hour of [...this.pending.keys()].sort((a, b) => a - b)) {
      if (this.rows <= maxRows) break;
      const m = this.pending.get(hour)!;
      for (const p of m.values()) dropped += p.served + p.impressions + p.clicks + p.viewable + p.measurable;
      this.rows -= m.size;
      this.pending.delete(hour);
      if (m === this.lastMap) {
        this.lastHour = -1;
        this.lastMap = undefined;
      }
    }
    return dropped;
  }

  /** Puts drained counts back after a failed write, so nothing is lost. */
  restore(deltas: readonly RollupDelta[]): void {
    for (const d of deltas) {
      const p = this.slotFor(d.hour * 1000, `${d.campaignId}\t${d.creativeId}\t${d.zoneId}\t${d.siteId}\t${d.country}`, d);
      p.served += d.served;
      p.impressions += d.impressions;
      p.clicks += d.clicks;
      p.viewable += d.viewable;
      p.measurable += d.measurable;
    }
  }

  private slot(k: StatsKey, nowMs: number): RollupDelta {
    return this.slotFor(nowMs, k.key, k);
  }

  private slotFor(nowMs: number, key: string, ids: { campaignId: string; creativeId: string; zoneId: string; siteId: string; country: string }): RollupDelta {
    const hourMs = nowMs - (nowMs % HOUR_MS);
    let m = this.lastMap;
    if (hourMs !== this.lastHour || !m) {
      m = this.pending.get(hourMs);
      if (!m) {
        m = new Map();
        this.pending.set(hourMs, m);
      }
      this.lastHour = hourMs;
      this.lastMap = m;
    }
    let p = m.get(key);
    if (!p) {
      p = { hour: hourMs / 1000, campaignId: ids.campaignId, creativeId: ids.creativeId, zoneId: ids.zoneId, siteId: ids.siteId, country: ids.country, served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0 };
      m.set(key, p);
      this.rows++;
    }
    return p;
  }
}
