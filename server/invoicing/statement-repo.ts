import type { DaySpan } from '../stats/revenue';
import type { Db } from '../store/database';
import type { StatementCounts } from '../../common/schemas/statement';

/** A campaign of a customer with its flight and its counts in a range. */
export interface CampaignCountRow extends StatementCounts {
  campaignId: string;
  campaignName: string;
  startsAt: string;
  endsAt: string;
}

/** The counts of one campaign in one zone of a site. */
export interface ZoneCampaignCountRow extends StatementCounts {
  zoneId: string;
  zoneName: string;
  campaignId: string;
  campaignName: string;
}

const spanParams = (id: string, s: DaySpan): Array<string | number> => [
  id, s.days[0], s.days[1], id, s.hoursBefore[0], s.hoursBefore[1], id, s.hoursAfter[0], s.hoursAfter[1],
];

/** The SQL of statements: names and counts read from the hourly rollups (hours as unix seconds). */
export class StatementRepo {
  private readonly customerStmt;
  private readonly siteStmt;
  private readonly customerCampaignsStmt;
  private readonly siteCountsStmt;

  constructor(db: Db) {
    this.customerStmt = db.prepare('SELECT id, name FROM customers WHERE id = ?');
    this.siteStmt = db.prepare(
      `SELECT s.id, s.name, s.domain, c.id AS customerId, c.name AS customerName
       FROM sites s JOIN customers c ON c.id = s.customer_id WHERE s.id = ?`,
    );
    // Whole local days from the daily rollup, the hours of cut days (a running month's today) from the hourly one;
    // a customer's rows summed per campaign before the join (the join then meets one row per campaign, not thousands).
    // A customer's statement needs no zone: its whole days come from the narrow campaign-daily rollup (a quarter of the rows in the bench).
    const rows = (where: string, daily = 'stats_daily') => `
      SELECT campaign_id, ${daily === 'stats_daily' ? 'zone_id' : "'' AS zone_id"}, served, impressions, viewable, clicks FROM ${daily} WHERE ${where} AND day >= ? AND day < ?
      UNION ALL SELECT campaign_id, zone_id, served, impressions, viewable, clicks FROM stats_hourly WHERE ${where} AND hour >= ? AND hour < ?
      UNION ALL SELECT campaign_id, zone_id, served, impressions, viewable, clicks FROM stats_hourly WHERE ${where} AND hour >= ? AND hour < ?`;
    const ofCustomer = 'campaign_id IN (SELECT id FROM campaigns WHERE customer_id = ?)';
    this.customerCampaignsStmt = db.prepare(
      `SELECT c.id AS campaignId, c.name AS campaignName, c.starts_at AS startsAt, c.ends_at AS endsAt,
              COALESCE(h.served, 0) AS served, COALESCE(h.impressions, 0) AS impressions,
              COALESCE(h.viewable, 0) AS viewable, COALESCE(h.clicks, 0) AS clicks
       FROM campaigns c LEFT JOIN (
         SELECT campaign_id, SUM(served) AS served, SUM(impressions) AS impressions, SUM(viewable) AS viewable, SUM(clicks) AS clicks
         FROM (${rows(ofCustomer, 'stats_campaign_daily')}) GROUP BY campaign_id
       ) h ON h.campaign_id = c.id
       WHERE c.customer_id = ? ORDER BY c.name, c.id`,
    );
    this.siteCountsStmt = db.prepare(
      `SELECT h.zone_id AS zoneId, COALESCE(z.name, h.zone_id) AS zoneName, h.campaign_id AS campaignId, COALESCE(c.name, h.campaign_id) AS campaignName,
              SUM(h.served) AS served, SUM(h.impressions) AS impressions, SUM(h.viewable) AS viewable, SUM(h.clicks) AS clicks
       FROM (${rows('site_id = ?')}) h LEFT JOIN zones z ON z.id = h.zone_id LEFT JOIN campaigns c ON c.id = h.campaign_id
       GROUP BY h.zone_id, h.campaign_id ORDER BY zoneName, h.zone_id, campaignName, h.campaign_id`,
    );
  }

  customer(id: string): { id: string; name: string } | undefined {
    return this.customerStmt.get(id) as { id: string; name: string } | undefined;
  }

  site(id: string): { id: string; name: string; domain: string; customerId: string; customerName: string } | undefined {
    return this.siteStmt.get(id) as ReturnType<StatementRepo['site']>;
  }

  /** Every campaign of a customer with its counts for the hours of `span` (zeros when it had none). */
  customerCampaigns(customerId: string, span: DaySpan): CampaignCountRow[] {
    return this.customerCampaignsStmt.all(...spanParams(customerId, span), customerId) as CampaignCountRow[];
  }

  /** Counts per zone and campaign delivered on a site in the hours of `span`. */
  siteCounts(siteId: string, span: DaySpan): ZoneCampaignCountRow[] {
    return this.siteCountsStmt.all(...spanParams(siteId, span)) as ZoneCampaignCountRow[];
  }
}
