import type { Db } from '../store/database';
import { HyperLogLog } from './hyperloglog';

/** One stored sketch as read back. */
export interface ReachRow {
  campaignId: string;
  /** Start of the UTC day, unix seconds. */
  day: number;
  registers: Buffer;
}

/** SQL of `stats_reach_daily`: one sketch's registers per campaign and UTC day. */
export class ReachRepo {
  private readonly getStmt;
  private readonly putStmt;
  private readonly dayStmt;
  private readonly campaignStmt;
  private readonly customerStmt;
  private readonly rangeStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT registers FROM stats_reach_daily WHERE campaign_id = ? AND day = ?').pluck();
    this.putStmt = db.prepare('INSERT OR REPLACE INTO stats_reach_daily (campaign_id, day, registers) VALUES (?, ?, ?)');
    this.dayStmt = db.prepare('SELECT campaign_id AS campaignId, day, registers FROM stats_reach_daily WHERE day = ?');
    this.campaignStmt = db.prepare('SELECT campaign_id AS campaignId, day, registers FROM stats_reach_daily WHERE campaign_id = ? AND day >= ? AND day < ?');
    this.customerStmt = db.prepare(
      `SELECT campaign_id AS campaignId, day, registers FROM stats_reach_daily
       WHERE campaign_id IN (SELECT id FROM campaigns WHERE customer_id = ?) AND day >= ? AND day < ?`,
    );
    this.rangeStmt = db.prepare('SELECT campaign_id AS campaignId, day, registers FROM stats_reach_daily WHERE day >= ? AND day < ?');
  }

  /**
   * Merges a sketch into the stored one of its campaign and day (register maximum, so several
   * writers never lose each other's visitors) and takes the stored registers into `sketch` too.
   */
  merge(campaignId: string, day: number, sketch: HyperLogLog): void {
    const stored = this.getStmt.get(campaignId, day) as Buffer | undefined;
    if (stored) sketch.merge(readSketch(stored));
    this.putStmt.run(campaignId, day, sketch.serialize());
  }

  /** Every sketch of one day (unix seconds), to continue today's reach after a restart. */
  ofDay(day: number): ReachRow[] {
    return this.dayStmt.all(day) as ReachRow[];
  }

  /** Sketches of days in [from, to) (unix seconds) of one campaign, or of every campaign of one customer. */
  series(scope: { kind: 'campaign' | 'customer'; id: string }, from: number, to: number): ReachRow[] {
    return (scope.kind === 'campaign' ? this.campaignStmt : this.customerStmt).all(scope.id, from, to) as ReachRow[];
  }

  /** Sketches of every campaign for days in [from, to) (unix seconds). */
  range(from: number, to: number): ReachRow[] {
    return this.rangeStmt.all(from, to) as ReachRow[];
  }
}

/** A stored sketch; an unreadable blob (hand-edited, another precision) counts as empty rather than failing a query. */
export function readSketch(registers: Buffer): HyperLogLog {
  try {
    return HyperLogLog.deserialize(registers);
  } catch {
    return new HyperLogLog();
  }
}
