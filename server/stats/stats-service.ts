import type { AppContext } from '../app-context';
import { DayClock, operatorTimeZone } from '../../common/local-clock';
import { StatsCounters } from './stats-counters';
import { ReachRepo } from './reach-repo';
import { ReachSketches } from './reach-sketches';
import { ReportRepo } from './report-repo';
import type { ReachSource } from './stats-query';
import { StatsRepo, inKeyOrder, type RollupDelta } from './stats-repo';

/** How often pending counters are written to the rollups. */
export const STATS_FLUSH_INTERVAL_MS = 1_000;
/** Most rollup rows kept in memory while flushes fail (≈ 300 bytes each); beyond, the oldest hours are dropped and counted. */
export const STATS_MAX_PENDING_ROWS = 100_000;
const ERROR_LOG_INTERVAL_MS = 60_000;
/**
 * Longest the timed flush holds the event loop in one go. A large catalogue touches tens of thousands
 * of rollup rows a second (≈ 40 µs each); written in one block they would stall every decision behind
 * them, so the timer writes them in slices of one transaction each and lets requests run in between.
 */
export const STATS_FLUSH_SLICE_MS = 3;
/** Rows per addAll call inside a slice (each call reads its campaigns' prices once). */
const SLICE_BATCH = 128;

/**
 * Something that writes its own rows in the same transaction as the counters (the delivery's
 * set of already-counted decisions), so counts and "already counted" marks never disagree.
 */
export interface FlushParticipant {
  /** Whether there is anything to write. */
  dirty(): boolean;
  /** Writes pending rows; runs inside the flush transaction and must not forget them yet. */
  persist(): void;
  /** The transaction committed: forget what was written. */
  committed(): void;
}

/** What the health check reports about the statistics flush. */
export interface StatsFlushStatus {
  /** Set while flushes fail (SQLite error code, first failure in ms since the epoch, failures so far). */
  error: { code: string; since: number; failures: number } | null;
  /** Rollup rows waiting in memory. */
  pendingRows: number;
  /** Counts dropped since start because too many rows waited (see STATS_MAX_PENDING_ROWS). */
  droppedCounts: number;
}

/** The statistics module: in-memory counters, a flush every second and at shutdown, the rollup store (one per app, built by compose.ts). */
export class StatsService {
  /** The operator time zone (configured, or Europe/Berlin): days of statistics, caps, reach and statements. */
  readonly timeZone: string;
  /** The operator-local day of an instant (shared by the counters' daily caps and the daily rollup). */
  readonly days: DayClock;
  readonly counters: StatsCounters;
  readonly repo: StatsRepo;
  /** Reports across campaigns (GET /api/stats, the portal's statistics). */
  readonly reports: ReportRepo;
  /** Stored reach sketches (read by the statistics API even while reach measurement is off). */
  readonly reachRepo: ReachRepo;
  /** Reach per campaign and day in memory; null unless reach measurement is on (`--reach`). */
  readonly reach: ReachSketches | null;
  /** What the statistics API reads reach from. */
  readonly reachSource: ReachSource;
  private readonly participants: FlushParticipant[] = [];
  private readonly timer: NodeJS.Timeout;
  private stopped = false;
  private error: StatsFlushStatus['error'] = null;
  private droppedCounts = 0;
  private lastErrorLog = 0;
  /** Drained rows the sliced flush has not written yet (from `next` on). */
  private backlog: RollupDelta[] = [];
  private next = 0;
  private sliceQueued = false;

  constructor(private readonly ctx: AppContext) {
    this.timeZone = operatorTimeZone(ctx.config.timeZone, (m) => ctx.log.warn(m));
    this.days = new DayClock(this.timeZone);
    this.counters = new StatsCounters(this.days);
    this.repo = new StatsRepo(ctx.db, this.days);
    const rebuildStarted = Date.now();
    if (this.repo.ensureDaily()) ctx.log.info(`daily statistics rebuilt for the time zone ${this.timeZone}`, { ms: Date.now() - rebuildStarted });
    // Revenue noted stale by a price change (or by the migration that added it) is recomputed before it is read.
    const settleStarted = Date.now();
    const settled = this.repo.settleRevenue();
    if (settled > 0) ctx.log.info('revenue of statistics recomputed after price changes', { campaigns: settled, ms: Date.now() - settleStarted });
    this.reports = new ReportRepo(ctx.db, () => void this.repo.settleRevenue());
    this.reachRepo = new ReachRepo(ctx.db);
    const now = ctx.now().getTime();
    this.counters.seedServed(this.repo.servedTotals(this.days.dayOf(now) / 1000), now);
    this.reach = ctx.config.reach ? new ReachSketches(this.reachRepo, this.days) : null;
    this.reachSource = { repo: this.reachRepo, measuring: this.reach !== null };
    if (this.reach) {
      this.reach.load(now);
      this.addParticipant(this.reach);
    }
    this.timer = setInterval(() => this.flushSliced(), STATS_FLUSH_INTERVAL_MS);
    this.timer.unref();
    // Registered at start-up, so it runs after both listeners closed (stop hooks run after them).
    ctx.onStop(() => {
      clearInterval(this.timer);
      this.flush();
      this.stopped = true;
      if (this.error) ctx.log.error('statistics could not be written at shutdown; the kept counts are lost', { pendingRows: this.counters.pendingRows });
    });
  }

  /** Adds a participant to every flush transaction. */
  addParticipant(p: FlushParticipant): void {
    this.participants.push(p);
  }

  /** Writes every pending count (and participants' rows) in one transaction; on failure keeps them for the next try. */
  flush(): void {
    if (this.stopped) return;
    const participants = this.participants.filter((p) => p.dirty());
    const rest = this.takeBacklog();
    if (!this.counters.dirty && participants.length === 0 && rest.length === 0) return this.recovered();
    const deltas = inKeyOrder(rest.length ? rest.concat(this.counters.drain()) : this.counters.drain());
    try {
      this.repo.transaction(() => {
        this.repo.addAll(deltas);
        for (const p of participants) p.persist();
      });
      for (const p of participants) p.committed();
    } catch (err) {
      // The transaction rolled back: nothing of it counts yet, so merging the counts back never counts twice.
      this.counters.restore(deltas);
      this.failed(err);
      return;
    }
    this.recovered();
  }

  /**
   * The timer's flush: the same rows as flush(), written in slices of at most STATS_FLUSH_SLICE_MS (one
   * transaction each; participants' rows go with the first), the next slice after the requests waiting.
   * A crash between slices loses the unwritten rest, as it loses unflushed counts.
   */
  private flushSliced(): void {
    if (this.stopped) return;
    let participants: FlushParticipant[] = [];
    if (this.next >= this.backlog.length) {
      participants = this.participants.filter((p) => p.dirty());
      if (!this.counters.dirty && participants.length === 0) return this.recovered();
      this.backlog = inKeyOrder(this.counters.drain());
      this.next = 0;
    }
    const from = this.next;
    try {
      this.next = this.repo.transaction(() => {
        const started = performance.now();
        let i = from;
        do {
          const end = Math.min(i + SLICE_BATCH, this.backlog.length);
          this.repo.addAll(this.backlog.slice(i, end));
          i = end;
        } while (i < this.backlog.length && performance.now() - started < STATS_FLUSH_SLICE_MS);
        for (const p of participants) p.persist();
        return i;
      });
      for (const p of participants) p.committed();
    } catch (err) {
      // This slice rolled back: its rows and the rest go back to the counters for the next try.
      this.counters.restore(this.takeBacklog());
      this.failed(err);
      return;
    }
    if (this.next < this.backlog.length) {
      if (!this.sliceQueued) {
        this.sliceQueued = true;
        setImmediate(() => {
          this.sliceQueued = false;
          this.flushSliced();
        });
      }
      return;
    }
    this.backlog = [];
    this.next = 0;
    this.recovered();
  }

  /** The drained rows the sliced flush has not written yet, taken out of its hands. */
  private takeBacklog(): RollupDelta[] {
    const rest = this.next < this.backlog.length ? this.backlog.slice(this.next) : [];
    this.backlog = [];
    this.next = 0;
    return rest;
  }

  /** Whether flushes fail now, and what waits in memory. */
  flushStatus(): StatsFlushStatus {
    return { error: this.error && { ...this.error }, pendingRows: this.counters.pendingRows + this.backlog.length - this.next, droppedCounts: this.droppedCounts };
  }

  /** Nothing waits any more: a problem reported before is over. */
  private recovered(): void {
    if (!this.error) return;
    this.ctx.log.info('statistics flush works again; the kept counts are written', { failures: this.error.failures, failingForMs: Date.now() - this.error.since });
    this.error = null;
  }

  private failed(err: unknown): void {
    const raw = (err as { code?: unknown } | null)?.code;
    const code = typeof raw === 'string' ? raw : 'UNKNOWN';
    const dropped = this.counters.trim(STATS_MAX_PENDING_ROWS);
    this.droppedCounts += dropped;
    const first = !this.error || this.error.code !== code;
    this.error = { code, since: this.error?.since ?? Date.now(), failures: (this.error?.failures ?? 0) + 1 };
    const now = Date.now();
    // Once a second would flood the log: the first failure, a new cause, and then once a minute.
    if (first || dropped > 0 || now - this.lastErrorLog >= ERROR_LOG_INTERVAL_MS) {
      this.lastErrorLog = now;
      this.ctx.log.error('statistics flush failed; counts kept in memory for the next try', {
        code, error: err instanceof Error ? err.message : String(err), failures: this.error.failures, pendingRows: this.counters.pendingRows, droppedCounts: dropped,
      });
    }
  }
}
