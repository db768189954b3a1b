import type { AppContext } from '../app-context';
import { StatsCounters } from './stats-counters';
import { StatsRepo } from './stats-repo';

/** How often pending counters are written to the rollups. */
export const STATS_FLUSH_INTERVAL_MS = 1_000;

const DAY_MS = 86_400_000;

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

/** The statistics module: in-memory counters, a flush every second and at shutdown, the rollup store. */
export class StatsService {
  readonly counters = new StatsCounters();
  readonly repo: StatsRepo;
  private readonly participants: FlushParticipant[] = [];
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly ctx: AppContext) {
    this.repo = new StatsRepo(ctx.db);
    const now = ctx.now().getTime();
    this.counters.seedServed(this.repo.servedTotals(Math.floor(now / DAY_MS) * 86_400), now);
    this.timer = setInterval(() => this.flush(), STATS_FLUSH_INTERVAL_MS);
    this.timer.unref();
    // Registered at start-up, so it runs after both listeners closed (stop hooks run after them).
    ctx.onStop(() => {
      clearInterval(this.timer);
      this.flush();
      this.stopped = true;
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
    if (!this.counters.dirty && participants.length === 0) return;
    const deltas = this.counters.drain();
    try {
      this.repo.transaction(() => {
        for (const d of deltas) this.repo.add(d);
        for (const p of participants) p.persist();
      });
      for (const p of participants) p.committed();
    } catch (err) {
      this.counters.restore(deltas);
      this.ctx.log.error('statistics flush failed; counts kept for the next try', { error: err instanceof Error ? err.message : String(err), rows: deltas.length });
    }
  }
}

const services = new WeakMap<AppContext, StatsService>();

/** The one statistics service of an app (created on first use, so features may ask in any order). */
export function statsService(ctx: AppContext): StatsService {
  let s = services.get(ctx);
  if (!s) {
    s = new StatsService(ctx);
    services.set(ctx, s);
  }
  return s;
}
