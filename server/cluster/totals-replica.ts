import type { RollupDelta } from '../stats/stats-repo';
import type { StatsCounters } from '../stats/stats-counters';
import type { CampaignTotals } from './cluster-protocol';

/**
 * A delivery worker's view of every campaign's running totals (daily caps, goals, pacing): the
 * primary's last totals plus what this worker served that the primary had not yet counted. The
 * worker's counters advance its own served decisions at once (StatsCounters.served); each batch it
 * hands over is remembered until the primary's totals say they include it (`acked`).
 */
export class TotalsReplica {
  /** The primary's last totals per campaign. */
  private readonly base = new Map<string, CampaignTotals>();
  /** Served decisions per campaign in batches sent but not yet included in the primary's totals. */
  private readonly inFlight: Array<{ seq: number; served: Map<string, number> }> = [];

  constructor(private readonly counters: StatsCounters) {}

  /** A batch with these deltas went to the primary as number `seq`. */
  sent(seq: number, deltas: readonly RollupDelta[]): void {
    const served = new Map<string, number>();
    for (const d of deltas) if (d.served > 0) served.set(d.campaignId, (served.get(d.campaignId) ?? 0) + d.served);
    if (served.size > 0) this.inFlight.push({ seq, served });
  }

  /**
   * Takes the primary's totals (those that changed since its last sync; all of them at start),
   * which include this worker's batches up to `acked`.
   */
  apply(totals: readonly CampaignTotals[], acked: number): void {
    const settled = new Map<string, number>();
    while (this.inFlight.length > 0 && this.inFlight[0]!.seq <= acked) {
      for (const [id, n] of this.inFlight.shift()!.served) settled.set(id, (settled.get(id) ?? 0) + n);
    }
    const changed = new Map(totals.map((t) => [t[0], t]));
    for (const [id, t] of changed) this.update(id, t, settled.get(id) ?? 0);
    for (const [id, n] of settled) if (!changed.has(id)) this.update(id, undefined, n);
  }

  private update(id: string, next: CampaignTotals | undefined, settled: number): void {
    const c = this.counters.campaign(id);
    const before = this.base.get(id);
    // Served here and not yet in the primary's total: c.total = its total + own.
    const own = c.total - (before?.[3] ?? 0) - settled;
    const t = next ?? before;
    if (!t) return;
    c.total = t[3] + own;
    if (t[1] >= c.day) {
      c.day = t[1];
      c.today = t[2] + Math.max(0, own);
    }
    c.viewable = t[4];
    c.clicks = t[5];
    this.base.set(id, t);
  }
}
