import type { RollupDelta } from '../stats/stats-repo';
import type { TestApp } from './test-app';

/** One rollup row a test seeds: the hour and ids it counts for; counts default to 0, country to DE. */
export type SeedRow = Pick<RollupDelta, 'hour' | 'campaignId' | 'zoneId' | 'siteId'> & Partial<RollupDelta>;

/**
 * Seeds statistics the way a flush writes them (hourly and every daily rollup in one
 * transaction), so reports that read the daily tables see the rows too.
 */
export function addStatsRows(app: TestApp, rows: readonly SeedRow[]): void {
  const repo = app.services.stats.repo;
  repo.transaction(() => {
    for (const r of rows) {
      repo.add({ creativeId: 'cr_x', country: 'DE', served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, ...r });
    }
  });
}
