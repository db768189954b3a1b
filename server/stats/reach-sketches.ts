import type { DayClock } from '../../common/local-clock';
import type { ReachRepo } from './reach-repo';
import { readSketch } from './reach-repo';
import { HyperLogLog } from './hyperloglog';
import type { FlushParticipant } from './stats-service';

interface DaySketch {
  campaignId: string;
  /** The operator-local day: its midnight, epoch ms. */
  day: number;
  sketch: HyperLogLog;
}

/**
 * Reach per campaign and operator-local day in memory: a HyperLogLog sketch fed with visitor hashes at the
 * impression. Only the registers go to the store, merged in each statistics flush; the hashes
 * themselves are gone the moment they are added.
 */
export class ReachSketches implements FlushParticipant {
  private readonly sketches = new Map<string, DaySketch>();
  private readonly changed = new Set<DaySketch>();
  private today = 0;

  constructor(
    private readonly repo: ReachRepo,
    private readonly days: DayClock,
  ) {}

  /** Loads the stored sketches of the day of `nowMs`, so today's reach continues after a restart. */
  load(nowMs: number): void {
    this.today = this.days.dayOf(nowMs);
    for (const r of this.repo.ofDay(this.today / 1000)) this.entry(r.campaignId, this.today).sketch.merge(readSketch(r.registers));
  }

  /** Adds a visitor (64-bit hash as high and low words) to a campaign's reach of the day of `nowMs`. */
  add(campaignId: string, nowMs: number, hi: number, lo: number): void {
    const day = this.days.dayOf(nowMs);
    if (day > this.today) this.today = day;
    const e = this.entry(campaignId, day);
    if (e.sketch.add(hi, lo)) this.changed.add(e);
  }

  /** Sketches held in memory (today's and, until their last flush, yesterday's). */
  get size(): number {
    return this.sketches.size;
  }

  dirty(): boolean {
    return this.changed.size > 0;
  }

  persist(): void {
    for (const e of this.changed) this.repo.merge(e.campaignId, e.day / 1000, e.sketch);
  }

  committed(): void {
    this.changed.clear();
    // Days before today are complete once written: their sketches leave memory.
    for (const [key, e] of this.sketches) if (e.day < this.today) this.sketches.delete(key);
  }

  private entry(campaignId: string, day: number): DaySketch {
    const key = `${campaignId}\t${day}`;
    let e = this.sketches.get(key);
    if (!e) this.sketches.set(key, (e = { campaignId, day, sketch: new HyperLogLog() }));
    return e;
  }
}
