import type { Migration } from './index';

/**
 * Counted revenue (cpm, vcpm, cpc — not the flat fee) as a counter of the rollups, so reports sum
 * it as they sum impressions instead of joining every price segment to the rows. The unit is
 * micro-euros × 1000, an exact integer (impressions × amount for cpm, viewable × amount for vcpm,
 * clicks × amount × 1000 for cpc), as server/stats/revenue-sql.ts computes it.
 *
 * A flush prices its deltas at the price in force in their hour. A price added later (possibly
 * with a past effective time) or removed (with its campaign) makes the stored revenue stale from
 * some hour on: the triggers note the campaign and that hour in `stats_revenue_dirty` (from the
 * start when the price may be the first one, which counts from the beginning), and the stats
 * layer recomputes those rows before it reads revenue. The hour noted is the effective time
 * rounded down (a price takes effect at the next full hour): recomputing one hour more is harmless.
 * Every campaign with prices starts dirty, so the existing rows get their revenue at the next start.
 * The covering indexes of the reports are recreated with the new column.
 */
export const m021StatsRevenue: Migration = {
  version: 21,
  name: 'stats-revenue',
  up: `
ALTER TABLE stats_hourly ADD COLUMN revenue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_daily ADD COLUMN revenue INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_campaign_daily ADD COLUMN revenue INTEGER NOT NULL DEFAULT 0;
DROP INDEX stats_hourly_hour_counts;
CREATE INDEX stats_hourly_hour_counts ON stats_hourly(hour, served, impressions, clicks, viewable, measurable, revenue);
DROP INDEX stats_daily_day_counts;
CREATE INDEX stats_daily_day_counts ON stats_daily(day, served, impressions, clicks, viewable, measurable, revenue);
DROP INDEX stats_campaign_daily_day_counts;
CREATE INDEX stats_campaign_daily_day_counts ON stats_campaign_daily(day, customer_id, campaign_id, served, impressions, clicks, viewable, measurable, revenue);
CREATE TABLE stats_revenue_dirty (
  campaign_id TEXT PRIMARY KEY,
  from_hour INTEGER NOT NULL         -- unix seconds: the campaign's revenue from this hour on is stale
) WITHOUT ROWID;
CREATE TRIGGER campaign_prices_revenue_insert AFTER INSERT ON campaign_prices BEGIN
  INSERT INTO stats_revenue_dirty (campaign_id, from_hour)
  VALUES (NEW.campaign_id, CASE
    WHEN EXISTS (SELECT 1 FROM campaign_prices p WHERE p.campaign_id = NEW.campaign_id AND p.id <> NEW.id AND julianday(p.effective_from) <= julianday(NEW.effective_from))
    THEN COALESCE(CAST(strftime('%s', NEW.effective_from) AS INTEGER) / 3600 * 3600, 0)
    ELSE 0 END)
  ON CONFLICT (campaign_id) DO UPDATE SET from_hour = MIN(from_hour, excluded.from_hour);
END;
CREATE TRIGGER campaign_prices_revenue_delete AFTER DELETE ON campaign_prices BEGIN
  INSERT INTO stats_revenue_dirty (campaign_id, from_hour) VALUES (OLD.campaign_id, 0)
  ON CONFLICT (campaign_id) DO UPDATE SET from_hour = 0;
END;
INSERT INTO stats_revenue_dirty (campaign_id, from_hour) SELECT DISTINCT campaign_id, 0 FROM campaign_prices;
`,
};
