import type { Db } from '../store/database';
import type { RevenueSegment } from './revenue';

/** Counted revenue of one bucket and key, in micro-euros × 1000 (an exact integer sum). */
export interface RevenueSumRow {
  bucket: number;
  key: string;
  milli: number;
}

/** A rollup revenue reads and, over it as `s` (and `c` when joined), the key expression, extra joins and filters. */
export interface RevenueShape {
  table: string;
  key: string;
  join: string;
  where: string;
  params: readonly unknown[];
}

/** Where daily segments read (`stats_daily` or `stats_campaign_daily`) and where hourly ones read (`stats_hourly`). */
export interface RevenueSources {
  daily: RevenueShape;
  hourly: RevenueShape;
}

/** Segments per query: 7 bound values each stays far below SQLite's 32,766 parameters. */
const CHUNK = 2_000;

/**
 * Counted revenue per bucket and key, computed in SQL: each segment (a campaign's stretch under
 * one price) joins its rollup rows through the primary key (campaign, time), and only the sums
 * per bucket and key come back — no row per campaign and hour reaches JavaScript. Daily segments
 * read `sources.daily`, hourly ones `sources.hourly`, each with its own key and filters (one
 * report asks both the same). The statement text depends on the number of segments, so it is
 * prepared per call (well under a millisecond). Without `perBucket` the sums are per key alone
 * (bucket 0): statements need no more, and a month of 200 campaigns then sorts 200 groups, not 6,000.
 */
export function revenueSums(db: Db, segments: readonly RevenueSegment[], sources: RevenueSources, perBucket = true): RevenueSumRow[] {
  const out: RevenueSumRow[] = [];
  for (const table of ['daily', 'hourly'] as const) {
    const mine = segments.filter((s) => s.table === table);
    for (let i = 0; i < mine.length; i += CHUNK) {
      const chunk = mine.slice(i, i + CHUNK);
      const shape = sources[table];
      const time = table === 'daily' ? 'day' : 'hour';
      const params: unknown[] = [];
      for (const g of chunk) params.push(g.campaignId, g.from, g.to, g.bucket, g.perImpression, g.perViewable, g.perClick);
      const rows = db
        .prepare(
          `WITH g(campaign_id, lo, hi, bucket, pi, pv, pc) AS (VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')})
           SELECT ${perBucket ? `COALESCE(g.bucket, s.${time})` : '0'} AS bucket, ${shape.key} AS key,
                  SUM(s.impressions * g.pi + s.viewable * g.pv + s.clicks * g.pc) AS milli
           FROM g CROSS JOIN ${shape.table} s ON s.campaign_id = g.campaign_id AND s.${time} >= g.lo AND s.${time} < g.hi${shape.join}
           WHERE 1${shape.where}
           GROUP BY ${perBucket ? '1, 2' : '2'}`,
        )
        .all(...params, ...shape.params) as RevenueSumRow[];
      out.push(...rows);
    }
  }
  return out;
}
