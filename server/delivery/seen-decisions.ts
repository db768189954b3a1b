import type { FlushParticipant } from '../stats/stats-service';
import { IdSet, idKey } from './id-set';
import type { SeenDecisionsRepo, SeenKind } from './seen-decisions-repo';

/**
 * Decisions already counted, per kind, bucketed by the hour their token was issued: a token's
 * bucket is fixed, so one lookup answers "seen?", and whole buckets are dropped once every token
 * in them has expired. Buckets hold the ids' first 64 random bits in compact IdSets (a false
 * "seen" needs a 64-bit collision). New marks are written with the statistics flush, in its transaction.
 */
export class SeenDecisions implements FlushParticipant {
  private readonly buckets = new Map<number, IdSet>();
  private fresh: Array<{ decisionId: string; issuedHour: number }> = [];
  private writing = 0;
  private lastPurgeHour = -1;

  constructor(
    private readonly repo: SeenDecisionsRepo,
    readonly kind: SeenKind,
    private readonly ttlHours: number,
    private readonly nowMs: () => number,
  ) {}

  /** Loads the persisted marks that may still matter at `nowSec`. */
  load(nowSec: number): void {
    for (const r of this.repo.load(this.kind, this.minHour(nowSec))) {
      const [hi, lo] = idKey(r.decisionId);
      this.bucket(r.issuedHour).add(hi, lo);
    }
  }

  /** Marks a decision as counted; false when it already was (so the caller does not count again). */
  markFirst(decisionId: string, idHigh: number, idLow: number, issuedAtSec: number): boolean {
    const hour = Math.floor(issuedAtSec / 3600);
    if (!this.bucket(hour).add(idHigh, idLow)) return false;
    this.fresh.push({ decisionId, issuedHour: hour });
    return true;
  }

  /** Drops buckets whose tokens all expired (memory stays bounded by traffic × token lifetime). */
  prune(nowSec: number): void {
    const min = this.minHour(nowSec);
    for (const hour of this.buckets.keys()) if (hour < min) this.buckets.delete(hour);
  }

  dirty(): boolean {
    return this.fresh.length > 0 || Math.floor(this.nowMs() / 3_600_000) !== this.lastPurgeHour;
  }

  persist(): void {
    this.writing = this.fresh.length;
    for (let i = 0; i < this.writing; i++) {
      const f = this.fresh[i]!;
      this.repo.add(this.kind, f.decisionId, f.issuedHour);
    }
    const nowSec = Math.floor(this.nowMs() / 1000);
    if (Math.floor(nowSec / 3600) !== this.lastPurgeHour) this.repo.purgeBefore(this.kind, this.minHour(nowSec));
  }

  committed(): void {
    this.fresh = this.fresh.slice(this.writing);
    this.writing = 0;
    this.lastPurgeHour = Math.floor(this.nowMs() / 3_600_000);
  }

  private minHour(nowSec: number): number {
    return Math.floor(nowSec / 3600) - this.ttlHours - 1;
  }

  private bucket(hour: number): IdSet {
    let set = this.buckets.get(hour);
    if (!set) this.buckets.set(hour, (set = new IdSet()));
    return set;
  }
}
