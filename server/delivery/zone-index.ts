import type { AppContext, DataChange } from '../app-context';
import type { StatsCounters } from '../stats/stats-counters';
import { DeliverySnapshotRepo } from './delivery-snapshot-repo';
import { buildSnapshot, type WarnOnce, type ZoneSnapshot } from './zone-snapshot';
import { CatalogueRows, updateSnapshot } from './zone-snapshot-update';

/** Wait after a 'data-changed' event before rebuilding, so a burst of edits causes one rebuild. */
export const REBUILD_DEBOUNCE_MS = 100;
/**
 * The minute tick: campaigns whose flight has ended leave the index (from memory, no store read;
 * campaigns not yet started are indexed already, and every decision checks the flight).
 */
export const REBUILD_INTERVAL_MS = 60_000;
/**
 * Every this many ticks the whole store is read again as well — a safety net for changes that came
 * without an event. Not every minute: with a large catalogue the read holds the event loop for ~0.4 s.
 */
export const REREAD_EVERY_TICKS = 15;
/** More changed campaigns than this in one debounce window (a bulk action) are read in one full rebuild instead. */
export const INCREMENTAL_LIMIT = 500;

/**
 * How long the last index build took. full: every row read and built; reread: every row read, only
 * the campaigns whose rows differ rebuilt; campaigns: only the changed campaigns' rows read and built.
 */
export interface IndexBuildTiming {
  kind: 'full' | 'reread' | 'campaigns';
  /** Reading the store, building and swapping in, in milliseconds. */
  ms: number;
  campaigns: number;
  zones: number;
}

/** The index before its first build (the delivery address not yet known): nothing in it is ever served. */
const UNBUILT: ZoneSnapshot = Object.freeze({ zones: new Map(), creatives: new Map(), rules: new Map(), baseUrl: '' });

/**
 * The in-memory zone index: read from the store off the request path, built to the side and
 * swapped in whole, so a request sees either the old or the new index, never a mix. A change
 * scoped to one campaign (its settings, status, zone links or creatives) re-reads only that
 * campaign and rebuilds only its zones; any other change rebuilds everything; the minute tick drops
 * ended flights from memory and, every quarter of an hour, reads the whole store again.
 */
export class ZoneIndex {
  private snapshot: ZoneSnapshot;
  private rows: CatalogueRows;
  /** Campaigns changed since the last build, waiting for the debounce; `pendingFull` when something else changed. */
  private readonly pending = new Set<string>();
  private pendingFull = false;
  private ticks = 0;
  private readonly repo: DeliverySnapshotRepo;
  private debounce: NodeJS.Timeout | undefined;
  private readonly interval: NodeJS.Timeout;
  private readonly warned = new Set<string>();
  private readonly warn: WarnOnce;
  /** How long the start-up read of the store took (part of the first build's time). */
  private readonly readMs: number;
  /** Called after every rebuild (housekeeping that shares the minute tick). */
  onRebuilt: () => void = () => {};
  /** The last build's timing (also logged at debug level). */
  lastBuild: IndexBuildTiming = { kind: 'full', ms: 0, campaigns: 0, zones: 0 };

  constructor(private readonly ctx: AppContext, private readonly counters: StatsCounters) {
    this.repo = new DeliverySnapshotRepo(ctx.db);
    this.warn = (key, message, fields) => {
      if (this.warned.has(key)) return;
      if (this.warned.size > 10_000) this.warned.clear();
      this.warned.add(key);
      ctx.log.warn(message, fields);
    };
    const started = performance.now();
    this.rows = new CatalogueRows(this.repo.load());
    this.readMs = performance.now() - started;
    const baseUrl = ctx.deliveryBaseUrl();
    // Without a public URL the delivery address is known once it listens: the index is built then
    // (current), once, rather than now and again for the first request.
    this.snapshot = baseUrl ? this.firstBuild(baseUrl) : UNBUILT;
    ctx.events.on('data-changed', this.schedule);
    this.interval = setInterval(() => this.tick(), REBUILD_INTERVAL_MS);
    this.interval.unref();
    ctx.onStop(() => this.stop());
  }

  /** The current index, built for `baseUrl` (rebuilt from memory, without a query, if the base changed). */
  current(baseUrl: string): ZoneSnapshot {
    if (this.snapshot === UNBUILT) this.snapshot = this.firstBuild(baseUrl);
    else if (this.snapshot.baseUrl !== baseUrl) this.snapshot = this.build(baseUrl);
    return this.snapshot;
  }

  /** The start-up build; its time counts the start-up read of the store too. */
  private firstBuild(baseUrl: string): ZoneSnapshot {
    const started = performance.now();
    const snapshot = this.build(baseUrl);
    this.lastBuild = { kind: 'full', ms: this.readMs + performance.now() - started, campaigns: snapshot.rules.size, zones: snapshot.zones.size };
    this.ctx.log.info(`zone index built: ${this.lastBuild.zones} zones, ${this.lastBuild.campaigns} campaigns in ${Math.round(this.lastBuild.ms)} ms`);
    return snapshot;
  }

  /** The index with every change so far (a rebuild waiting for its debounce runs now): what admin reads ask. */
  fresh(): ZoneSnapshot {
    if (this.debounce) {
      clearTimeout(this.debounce);
      this.debounce = undefined;
      this.apply();
    }
    return this.current(this.snapshot.baseUrl || this.ctx.deliveryBaseUrl());
  }

  /**
   * Reads the whole store and swaps in a fresh index now. When the zones are as they were, only the
   * campaigns whose rows differ (or whose flight has ended) are rebuilt, as after a campaign's change;
   * otherwise (or for more than INCREMENTAL_LIMIT of them) everything is.
   */
  rebuild(): void {
    try {
      const started = performance.now();
      // Everything committed so far is in this read, so the changes waiting for the debounce are too.
      this.pending.clear();
      this.pendingFull = false;
      const rows = new CatalogueRows(this.repo.load());
      // Not built yet: the first build (current) reads these rows.
      if (this.snapshot === UNBUILT) {
        this.rows = rows;
        return;
      }
      const nowMs = this.ctx.now().getTime();
      const changed = this.rows.sameZones(rows) ? this.rows.changedCampaigns(rows) : null;
      if (changed) for (const rule of this.snapshot.rules.values()) if (rule.endsAt <= nowMs) changed.add(rule.id);
      const previous = this.rows;
      if (changed && changed.size <= INCREMENTAL_LIMIT) {
        const fresh = new Map([...changed].map((id) => [id, rows.get(id)]));
        this.snapshot = updateSnapshot(this.snapshot, rows.zones, (id) => previous.get(id), fresh, nowMs, this.counters, this.warn);
        this.rows = rows;
        this.timed('reread', started, changed.size);
      } else {
        this.rows = rows;
        try {
          this.snapshot = this.build(this.snapshot.baseUrl || this.ctx.deliveryBaseUrl());
        } catch (err) {
          this.rows = previous;
          throw err;
        }
        this.timed('full', started);
      }
      this.onRebuilt();
    } catch (err) {
      // Keep serving the last good index; the next change or tick tries again.
      this.ctx.log.error('zone index rebuild failed; serving the previous index', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /** The minute tick: ended flights leave the index; every REREAD_EVERY_TICKS-th tick re-reads the store. */
  private tick(): void {
    if (++this.ticks % REREAD_EVERY_TICKS === 0 || this.snapshot === UNBUILT) return this.rebuild();
    try {
      const started = performance.now();
      const nowMs = this.ctx.now().getTime();
      const ended = new Map<string, ReturnType<CatalogueRows['get']>>();
      for (const rule of this.snapshot.rules.values()) if (rule.endsAt <= nowMs) ended.set(rule.id, this.rows.get(rule.id));
      if (ended.size > 0) {
        this.snapshot = updateSnapshot(this.snapshot, this.rows.zones, (id) => this.rows.get(id), ended, nowMs, this.counters, this.warn);
        this.timed('campaigns', started, ended.size);
      }
      this.onRebuilt();
    } catch (err) {
      this.ctx.log.error('zone index tick failed; reading the store again', { error: err instanceof Error ? err.message : String(err) });
      this.rebuild();
    }
  }

  /** Brings in the changes heard so far: only the changed campaigns when nothing else changed, else everything. */
  private apply(): void {
    if (this.pendingFull || this.pending.size > INCREMENTAL_LIMIT || this.snapshot === UNBUILT) return this.rebuild();
    if (this.pending.size === 0) return;
    const ids = [...this.pending];
    this.pending.clear();
    try {
      const started = performance.now();
      const fresh = this.repo.loadCampaigns(ids);
      const old = new Map(ids.map((id) => [id, this.rows.get(id)]));
      this.snapshot = updateSnapshot(this.snapshot, this.rows.zones, (id) => old.get(id)!, fresh, this.ctx.now().getTime(), this.counters, this.warn);
      this.rows.replace(fresh);
      this.timed('campaigns', started, ids.length);
    } catch (err) {
      this.ctx.log.error('zone index update failed; rebuilding it whole', { error: err instanceof Error ? err.message : String(err) });
      this.rebuild();
    }
  }

  private timed(kind: IndexBuildTiming['kind'], started: number, campaigns = this.snapshot.rules.size): void {
    this.lastBuild = { kind, ms: performance.now() - started, campaigns, zones: this.snapshot.zones.size };
    this.ctx.log.debug?.('zone index built', { ...this.lastBuild, ms: Number(this.lastBuild.ms.toFixed(2)) });
  }

  private readonly schedule = (change: DataChange): void => {
    if (change.campaignId !== undefined) this.pending.add(change.campaignId);
    else this.pendingFull = true;
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.apply();
    }, REBUILD_DEBOUNCE_MS);
    this.debounce.unref();
  };

  private build(baseUrl: string): ZoneSnapshot {
    return buildSnapshot(this.rows.snapshot(), baseUrl, this.ctx.now().getTime(), this.counters, this.warn);
  }

  private stop(): void {
    this.ctx.events.off('data-changed', this.schedule);
    clearInterval(this.interval);
    if (this.debounce) clearTimeout(this.debounce);
  }
}
