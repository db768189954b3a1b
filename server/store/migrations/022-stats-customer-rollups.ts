import type { Migration } from './index';

const COUNTS = ['served', 'impressions', 'clicks', 'viewable', 'measurable', 'revenue'] as const;
const cols = COUNTS.join(', ');
/** `prefix.served, …`. */
const values = (prefix: string): string => COUNTS.map((c) => `${prefix}.${c}`).join(', ');
const negated = (prefix: string): string => COUNTS.map((c) => `-${prefix}.${c}`).join(', ');
const addUp = COUNTS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
/** Adds the given values to a customer rollup row, creating it when missing. */
const upsert = (table: string, time: string, timeValue: string, customer: string, counts: string): string =>
  `INSERT INTO ${table} (${time}, customer_id, ${cols}) VALUES (${timeValue}, ${customer}, ${counts})
   ON CONFLICT (${time}, customer_id) DO UPDATE SET ${addUp};`;
/** A daily customer row whose campaign rows all moved away goes too: no empty series. */
const dropEmptyDay = `DELETE FROM stats_customer_daily WHERE day = OLD.day AND customer_id = OLD.customer_id
    AND NOT EXISTS (SELECT 1 FROM stats_campaign_daily WHERE day = OLD.day AND customer_id = OLD.customer_id);`;

/**
 * Customer rollups for reports across campaigns that split and filter by nothing finer than the
 * customer ("all campaigns, 7 days hourly", "a year daily by customer"): one row per customer and
 * hour, and per customer and operator-local day, where the campaign rollups keep one per campaign
 * (the bench: 500 campaigns of 30 customers, so 17 times fewer rows to read, and no join to
 * `campaigns` nor sort for a breakdown by customer). The customer is the one its campaign rows
 * are filed under, as in `stats_campaign_daily`: '' where there is no such campaign (any more).
 *
 * The flush adds to them beside the campaign rollups (StatsRepo.addAll, summed per customer first),
 * the re-pricing of revenue and the rebuilds of the daily rollups keep them (StatsRepo), and two
 * triggers follow what the privacy module does: a campaign's blanked customer in
 * `stats_campaign_daily` (an erasure) moves its daily sums under ''; a deleted campaign moves its
 * hourly sums under '' (the hour rows its customer is left with at zero go) and blanks its
 * `stats_campaign_daily` rows. No trigger fires on the flush's writes: they would cost it a third more.
 */
export const m022StatsCustomerRollups: Migration = {
  version: 22,
  name: 'stats-customer-rollups',
  up: `
CREATE TABLE stats_customer_hourly (
  hour INTEGER NOT NULL,
  customer_id TEXT NOT NULL,         -- '' for campaigns that are no more
  served INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  viewable INTEGER NOT NULL DEFAULT 0,
  measurable INTEGER NOT NULL DEFAULT 0,
  revenue INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, customer_id)
) WITHOUT ROWID;
CREATE TABLE stats_customer_daily (
  day INTEGER NOT NULL,              -- as stats_campaign_daily
  customer_id TEXT NOT NULL,
  served INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  viewable INTEGER NOT NULL DEFAULT 0,
  measurable INTEGER NOT NULL DEFAULT 0,
  revenue INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, customer_id)
) WITHOUT ROWID;
INSERT INTO stats_customer_hourly (hour, customer_id, ${cols})
  SELECT s.hour, COALESCE(c.customer_id, ''), ${COUNTS.map((c) => `SUM(s.${c})`).join(', ')}
  FROM stats_hourly s LEFT JOIN campaigns c ON c.id = s.campaign_id GROUP BY 1, 2;
INSERT INTO stats_customer_daily (day, customer_id, ${cols})
  SELECT day, customer_id, ${COUNTS.map((c) => `SUM(${c})`).join(', ')} FROM stats_campaign_daily GROUP BY day, customer_id;
CREATE TRIGGER campaigns_delete_customer_rollups AFTER DELETE ON campaigns BEGIN
  INSERT INTO stats_customer_hourly (hour, customer_id, ${cols})
    SELECT hour, OLD.customer_id, ${COUNTS.map((c) => `-SUM(${c})`).join(', ')} FROM stats_hourly WHERE campaign_id = OLD.id GROUP BY hour
    ON CONFLICT (hour, customer_id) DO UPDATE SET ${addUp};
  INSERT INTO stats_customer_hourly (hour, customer_id, ${cols})
    SELECT hour, '', ${COUNTS.map((c) => `SUM(${c})`).join(', ')} FROM stats_hourly WHERE campaign_id = OLD.id GROUP BY hour
    ON CONFLICT (hour, customer_id) DO UPDATE SET ${addUp};
  DELETE FROM stats_customer_hourly WHERE customer_id = OLD.customer_id AND hour IN (SELECT hour FROM stats_hourly WHERE campaign_id = OLD.id)
    AND ${COUNTS.map((c) => `${c} = 0`).join(' AND ')};
  UPDATE stats_campaign_daily SET customer_id = '' WHERE campaign_id = OLD.id AND customer_id <> '';
END;
CREATE TRIGGER stats_campaign_daily_customer_move AFTER UPDATE OF customer_id ON stats_campaign_daily
WHEN NEW.customer_id <> OLD.customer_id BEGIN
  ${upsert('stats_customer_daily', 'day', 'OLD.day', 'OLD.customer_id', negated('OLD'))}
  ${upsert('stats_customer_daily', 'day', 'NEW.day', 'NEW.customer_id', values('NEW'))}
  ${dropEmptyDay}
END;
`,
};
