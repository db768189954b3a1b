import type { Statement } from 'better-sqlite3';
import { nextDayStartMs } from '../../common/local-time';
import type { DayClock } from '../../common/local-clock';
import type { Db } from '../store/database';
import { priceStretches, pricePeriods } from './revenue';
import type { PriceHistoryRow } from './stats-repo';

/**
 * The upkeep of what the rollups derive from the hourly rows: stored revenue after a price change,
 * and the daily rollups (`stats_daily`, `stats_campaign_daily`, `stats_customer_daily`) after a
 * change of the operator time zone or a re-pricing. StatsRepo delegates to it; the flush itself
 * writes every rollup directly (StatsRepo.addAll).
 */
export class RollupUpkeep {
  private readonly anyDirty;

  constructor(
    private readonly db: Db,
    private readonly days: DayClock,
    /** Price rows of the campaigns in a JSON list of ids (StatsRepo's). */
    private readonly batchPrices: Statement<[string]>,
  ) {
    this.anyDirty = db.prepare('SELECT 1 FROM stats_revenue_dirty LIMIT 1').pluck();
  }

  /**
   * Recomputes the stored counted revenue of campaigns whose prices changed since it was written
   * (stats_revenue_dirty, filled by triggers on campaign_prices), in one transaction: their hourly
   * rows from the noted hour on, one UPDATE per price stretch, then their daily rows from that
   * hour's day on, rebuilt from the hourly ones (as ensureDaily does). Cheap when nothing is dirty
   * (one lookup); call before revenue is read. Returns how many campaigns it recomputed.
   */
  settleRevenue(): number {
    if (this.anyDirty.get() === undefined) return 0;
    return this.db.transaction(() => {
      const dirty = this.db.prepare('SELECT campaign_id AS campaignId, from_hour AS fromHour FROM stats_revenue_dirty').all() as Array<{ campaignId: string; fromHour: number }>;
      if (dirty.length === 0) return 0;
      const prices = pricePeriods(this.batchPrices.all(JSON.stringify(dirty.map((d) => d.campaignId))) as PriceHistoryRow[]);
      const clear = this.db.prepare('UPDATE stats_hourly SET revenue = 0 WHERE campaign_id = ? AND hour >= ? AND revenue <> 0');
      const price = this.db.prepare('UPDATE stats_hourly SET revenue = impressions * ? + viewable * ? + clicks * ? WHERE campaign_id = ? AND hour >= ? AND hour < ?');
      // The customer rollup's revenue follows: the campaign's old hourly revenue taken out before, the new one added after.
      const customerRevenue = this.db.prepare(
        `INSERT INTO stats_customer_hourly (hour, customer_id, revenue)
         SELECT hour, COALESCE((SELECT customer_id FROM campaigns WHERE id = @campaignId), ''), @sign * SUM(revenue) FROM stats_hourly
         WHERE campaign_id = @campaignId AND hour >= @fromHour GROUP BY hour
         ON CONFLICT (hour, customer_id) DO UPDATE SET revenue = revenue + excluded.revenue`,
      );
      for (const d of dirty) customerRevenue.run({ ...d, sign: -1 });
      for (const { campaignId, fromHour } of dirty) {
        const history = prices.get(campaignId) ?? [];
        // Every hour is in some price's stretch (a flat one prices at 0): each row is written once.
        if (history.length === 0) clear.run(campaignId, fromHour);
        for (const s of priceStretches(history)) {
          const lo = Math.max(fromHour, s.from);
          if (s.to <= lo) continue;
          // Infinity does not bind: the last stretch ends past any hour.
          price.run(s.rates.perImpression, s.rates.perViewable, s.rates.perClick, campaignId, lo, Number.isFinite(s.to) ? s.to : Number.MAX_SAFE_INTEGER);
        }
      }
      for (const d of dirty) customerRevenue.run({ ...d, sign: 1 });
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS stats_rebuild (campaign_id TEXT PRIMARY KEY, from_day INTEGER NOT NULL) WITHOUT ROWID; DELETE FROM temp.stats_rebuild');
      const note = this.db.prepare('INSERT INTO temp.stats_rebuild (campaign_id, from_day) VALUES (?, ?)');
      for (const d of dirty) note.run(d.campaignId, this.days.dayOf(d.fromHour * 1000) / 1000);
      this.rebuildDaily(true);
      const done = this.db.prepare('DELETE FROM stats_revenue_dirty WHERE campaign_id = ? AND from_hour = ?');
      for (const d of dirty) done.run(d.campaignId, d.fromHour);
      return dirty.length;
    }).immediate();
  }

  /**
   * Makes `stats_daily` (and `stats_campaign_daily`, its narrower twin) match the configured zone:
   * when it was cut in another zone (or never), it is rebuilt from the hourly rows, one local day
   * at a time, in one transaction. An hour belongs to the day its start falls in (zones with
   * half-hour offsets cut days at the hour). Returns whether it rebuilt.
   */
  ensureDaily(): boolean {
    const timeZone = this.days.timeZone;
    const built = this.db.prepare('SELECT time_zone FROM stats_daily_zone WHERE id = 1').pluck().get() as string | undefined;
    if (built === timeZone) return false;
    this.db.transaction(() => {
      this.rebuildDaily(false);
      this.db.prepare('INSERT INTO stats_daily_zone (id, time_zone) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone').run(timeZone);
    })();
    return true;
  }

  /**
   * Rebuilds `stats_daily` and `stats_campaign_daily` from the hourly rows, one local day at a
   * time: all of them, or (`some`) only the campaigns in temp.stats_rebuild from their `from_day`
   * on. Call inside a transaction.
   */
  private rebuildDaily(some: boolean): void {
    const timeZone = this.days.timeZone;
    const mine = some ? ' AND campaign_id IN (SELECT campaign_id FROM temp.stats_rebuild WHERE from_day <= ?)' : '';
    // The customers whose daily customer rows change: those the rebuilt campaigns' rows are filed under, before and after.
    const customersOfRebuilt = (): string[] =>
      some ? (this.db.prepare('SELECT DISTINCT customer_id FROM stats_campaign_daily WHERE campaign_id IN (SELECT campaign_id FROM temp.stats_rebuild)').pluck().all() as string[]) : [];
    const touched = new Set(customersOfRebuilt());
    const stale = some ? ' WHERE campaign_id IN (SELECT campaign_id FROM temp.stats_rebuild) AND day >= (SELECT t.from_day FROM temp.stats_rebuild t WHERE t.campaign_id = campaign_id_of_row)' : '';
    this.db.exec(`DELETE FROM stats_daily${stale.replace('campaign_id_of_row', 'stats_daily.campaign_id')}`);
    const range = this.db
      .prepare(`SELECT MIN(hour) AS first, MAX(hour) AS last FROM stats_hourly${some ? ' WHERE campaign_id IN (SELECT campaign_id FROM temp.stats_rebuild)' : ''}`)
      .get() as { first: number | null; last: number | null };
    if (range.first !== null && range.last !== null) {
      const insert = this.db.prepare(
        `INSERT INTO stats_daily (day, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable, revenue)
         SELECT ?, campaign_id, creative_id, zone_id, site_id, country, SUM(served), SUM(impressions), SUM(clicks), SUM(viewable), SUM(measurable), SUM(revenue)
         FROM stats_hourly WHERE hour >= ? AND hour < ?${mine} GROUP BY campaign_id, creative_id, zone_id, site_id, country`,
      );
      let first = range.first;
      if (some) first = Math.max(first, (this.db.prepare('SELECT MIN(from_day) FROM temp.stats_rebuild').pluck().get() as number));
      for (let day = this.days.dayOf(first * 1000); day <= range.last * 1000; ) {
        const next = nextDayStartMs(day, timeZone);
        // Bounds rounded up to whole hours: an hour starting inside the day is the day's.
        const args = [day / 1000, Math.ceil(day / 3_600_000) * 3_600, Math.ceil(next / 3_600_000) * 3_600];
        insert.run(...(some ? [...args, day / 1000] : args));
        day = next;
      }
    }
    this.db.exec(`DELETE FROM stats_campaign_daily${stale.replace('campaign_id_of_row', 'stats_campaign_daily.campaign_id')};
      INSERT INTO stats_campaign_daily (campaign_id, day, customer_id, served, impressions, clicks, viewable, measurable, revenue)
      SELECT s.campaign_id, s.day, COALESCE(c.customer_id, ''), SUM(s.served), SUM(s.impressions), SUM(s.clicks), SUM(s.viewable), SUM(s.measurable), SUM(s.revenue)
      FROM ${some ? 'temp.stats_rebuild t CROSS JOIN stats_daily s ON s.campaign_id = t.campaign_id AND s.day >= t.from_day' : 'stats_daily s'}
      LEFT JOIN campaigns c ON c.id = s.campaign_id GROUP BY s.campaign_id, s.day`);
    // stats_customer_daily: the touched customers' days from the first rebuilt one, summed again from stats_campaign_daily.
    for (const c of customersOfRebuilt()) touched.add(c);
    const fromDay = some ? ((this.db.prepare('SELECT MIN(from_day) FROM temp.stats_rebuild').pluck().get() as number | null) ?? 0) : 0;
    const which = some ? ' AND customer_id IN (SELECT value FROM json_each(@customers))' : '';
    const args = { fromDay, ...(some ? { customers: JSON.stringify([...touched]) } : {}) };
    this.db.prepare(`DELETE FROM stats_customer_daily WHERE day >= @fromDay${which}`).run(args);
    this.db
      .prepare(
        `INSERT INTO stats_customer_daily (day, customer_id, served, impressions, clicks, viewable, measurable, revenue)
         SELECT day, customer_id, SUM(served), SUM(impressions), SUM(clicks), SUM(viewable), SUM(measurable), SUM(revenue)
         FROM stats_campaign_daily WHERE day >= @fromDay${which} GROUP BY day, customer_id`,
      )
      .run(args);
  }
}
