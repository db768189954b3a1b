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
    this.customerCampaignsStmt = db.prepare(
      `SELECT c.id AS campaignId, c.name AS campaignName, c.starts_at AS startsAt, c.ends_at AS endsAt,
              COALESCE(SUM(h.served), 0) AS served, COALESCE(SUM(h.impressions), 0) AS impressions,
              COALESCE(SUM(h.viewable), 0) AS viewable, COALESCE(SUM(h.clicks), 0) AS clicks
       FROM campaigns c LEFT JOIN stats_hourly h ON h.campaign_id = c.id AND h.hour >= ? AND h.hour < ?
       WHERE c.customer_id = ? GROUP BY c.id ORDER BY c.name, c.id`,
    );
    this.siteCountsStmt = db.prepare(
      `SELECT h.zone_id AS zoneId, COALESCE(z.name, h.zone_id) AS zoneName, h.campaign_id AS campaignId, COALESCE(c.name, h.campaign_id) AS campaignName,
              SUM(h.served) AS served, SUM(h.impressions) AS impressions, SUM(h.viewable) AS viewable, SUM(h.clicks) AS clicks
       FROM stats_hourly h LEFT JOIN zones z ON z.id = h.zone_id LEFT JOIN campaigns c ON c.id = h.campaign_id
       WHERE h.site_id = ? AND h.hour >= ? AND h.hour < ?
       GROUP BY h.zone_id, h.campaign_id ORDER BY zoneName, h.zone_id, campaignName, h.campaign_id`,
    );
  }

  customer(id: string): { id: string; name: string } | undefined {
    return this.customerStmt.get(id) as { id: string; name: string } | undefined;
  }

  site(id: string): { id: string; name: string; domain: string; customerId: string; customerName: string } | undefined {
    return this.siteStmt.get(id) as ReturnType<StatementRepo['site']>;
  }

  /** Every campaign of a customer with its counts for hours [from, to) (zeros when it had none). */
  customerCampaigns(customerId: string, from: number, to: number): CampaignCountRow[] {
    return this.customerCampaignsStmt.all(from, to, customerId) as CampaignCountRow[];
  }

  /** Counts per zone and campaign delivered on a site for hours [from, to). */
  siteCounts(siteId: string, from: number, to: number): ZoneCampaignCountRow[] {
    return this.siteCountsStmt.all(siteId, from, to) as ZoneCampaignCountRow[];
  }
}
