import type { AppContext } from '../app-context';
import type { StatsCounters } from '../stats/stats-counters';
import { DeliverySnapshotRepo } from './delivery-snapshot-repo';
import type { DeliverySnapshot } from './delivery-snapshot-repo';
import { buildSnapshot, type WarnOnce, type ZoneSnapshot } from './zone-snapshot';

/** Wait after a 'data-changed' event before rebuilding, so a burst of edits causes one rebuild. */
export const REBUILD_DEBOUNCE_MS = 100;
/** Periodic rebuild: flights start and end without any data change. */
export const REBUILD_INTERVAL_MS = 60_000;

/**
 * The in-memory zone index: read from the store off the request path, built to the side and
 * swapped in whole, so a request sees either the old or the new index, never a mix.
 */
export class ZoneIndex {
  private snapshot: ZoneSnapshot;
  private data: DeliverySnapshot;
  private readonly repo: DeliverySnapshotRepo;
  private debounce: NodeJS.Timeout | undefined;
  private readonly interval: NodeJS.Timeout;
  private readonly warned = new Set<string>();
  private readonly warn: WarnOnce;
  /** Called after every rebuild (housekeeping that shares the minute tick). */
  onRebuilt: () => void = () => {};

  constructor(private readonly ctx: AppContext, private readonly counters: StatsCounters) {
    this.repo = new DeliverySnapshotRepo(ctx.db);
    this.warn = (key, message, fields) => {
      if (this.warned.has(key)) return;
      if (this.warned.size > 10_000) this.warned.clear();
      this.warned.add(key);
      ctx.log.warn(message, fields);
    };
    this.data = this.repo.load();
    this.snapshot = this.build(this.data, ctx.deliveryBaseUrl());
    ctx.events.on('data-changed', this.schedule);
    this.interval = setInterval(() => this.rebuild(), REBUILD_INTERVAL_MS);
    this.interval.unref();
    ctx.onStop(() => this.stop());
  }

  /** The current index, built for `baseUrl` (rebuilt from memory, without a query, if the base changed). */
  current(baseUrl: string): ZoneSnapshot {
    if (this.snapshot.baseUrl !== baseUrl) this.snapshot = this.build(this.data, baseUrl);
    return this.snapshot;
  }

  /** The index with every change so far (a rebuild waiting for its debounce runs now): what admin reads ask. */
  fresh(): ZoneSnapshot {
    if (this.debounce) {
      clearTimeout(this.debounce);
      this.debounce = undefined;
      this.rebuild();
    }
    return this.current(this.snapshot.baseUrl || this.ctx.deliveryBaseUrl());
  }

  /** Reads the store and swaps in a fresh index now. */
  rebuild(): void {
    try {
      const data = this.repo.load();
      this.snapshot = this.build(data, this.snapshot.baseUrl || this.ctx.deliveryBaseUrl());
      this.data = data;
      this.onRebuilt();
    } catch (err) {
      // Keep serving the last good index; the next change or tick tries again.
      this.ctx.log.error('zone index rebuild failed; serving the previous index', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  private readonly schedule = (): void => {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.rebuild();
    }, REBUILD_DEBOUNCE_MS);
    this.debounce.unref();
  };

  private build(data: DeliverySnapshot, baseUrl: string): ZoneSnapshot {
    return buildSnapshot(data, baseUrl, this.ctx.now().getTime(), this.counters, this.warn);
  }

  private stop(): void {
    this.ctx.events.off('data-changed', this.schedule);
    clearInterval(this.interval);
    if (this.debounce) clearTimeout(this.debounce);
  }
}
