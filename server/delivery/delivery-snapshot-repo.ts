import type { Db } from '../store/database';

/** A placement; `servable` is false when its publisher's account is restricted or it or its site is archived. */
export interface ZoneRow {
  id: string;
  siteId: string;
  width: number;
  height: number;
  servable: boolean;
}

/** An active campaign of an active customer, as stored (targeting still raw JSON). */
export interface CampaignRow {
  id: string;
  startsAt: string;
  endsAt: string;
  /** The goal's count, of the kind `goalKind` names; null = no goal. */
  impressionGoal: number | null;
  goalKind: string;
  pacing: string;
  dailyCap: number | null;
  priority: number;
  weight: number;
  targeting: string;
  /** Competitive separation group; null = none. */
  exclusivityGroup: string | null;
  /** Served decisions per visitor and UTC day; null = no cap. */
  visitorDailyCap: number | null;
}

/** A creative of a customer that is not restricted; `servable` when it and its campaign are active and it is not archived. */
export interface CreativeRow {
  id: string;
  campaignId: string;
  width: number;
  height: number;
  imageUrl: string | null;
  assetId: string | null;
  html: string | null;
  landingUrl: string;
  alt: string;
  servable: boolean;
}

/** Everything the zone index is built from, read in one consistent snapshot. */
export interface DeliverySnapshot {
  zones: ZoneRow[];
  campaigns: CampaignRow[];
  links: Array<{ campaignId: string; zoneId: string }>;
  creatives: CreativeRow[];
}

/** One campaign's rows: itself (null when it is not active or its customer is not), its zone links and its creatives. */
export interface CampaignRows {
  campaign: CampaignRow | null;
  /** Zones of an active campaign (empty otherwise, as in DeliverySnapshot.links). */
  zoneIds: string[];
  creatives: CreativeRow[];
}

const CAMPAIGN_COLUMNS = `c.id AS id, c.starts_at AS startsAt, c.ends_at AS endsAt, c.impression_goal AS impressionGoal,
              c.goal_kind AS goalKind, c.pacing AS pacing,
              c.daily_cap AS dailyCap, c.priority AS priority, c.weight AS weight, c.targeting AS targeting,
              c.exclusivity_group AS exclusivityGroup, c.visitor_daily_cap AS visitorDailyCap`;
const CREATIVE_COLUMNS = `cr.id AS id, cr.campaign_id AS campaignId, cr.width AS width, cr.height AS height, cr.image_url AS imageUrl,
              cr.asset_id AS assetId, cr.html AS html, cr.landing_url AS landingUrl, cr.alt AS alt,
              (cr.status = 'active' AND cr.archived_at IS NULL AND c.status = 'active') AS servable`;

type Flagged<T> = Omit<T, 'servable'> & { servable: number };
const creativeRow = (c: Flagged<CreativeRow>): CreativeRow => ({ ...c, servable: c.servable === 1 });

/**
 * Read-only queries of the delivery index: zones with their site, active campaigns of active
 * customers, their zone links and creatives. Restricted customers are never served.
 */
export class DeliverySnapshotRepo {
  private readonly zones;
  private readonly campaigns;
  private readonly links;
  private readonly creatives;
  private readonly campaignById;
  private readonly linksOfCampaign;
  private readonly creativesOfCampaign;

  constructor(private readonly db: Db) {
    this.zones = db.prepare(
      `SELECT z.id AS id, z.site_id AS siteId, z.width AS width, z.height AS height,
              (cu.status = 'active' AND z.archived_at IS NULL AND s.archived_at IS NULL) AS servable
       FROM zones z JOIN sites s ON s.id = z.site_id JOIN customers cu ON cu.id = s.customer_id`,
    );
    this.campaigns = db.prepare(
      `SELECT ${CAMPAIGN_COLUMNS}
       FROM campaigns c JOIN customers cu ON cu.id = c.customer_id
       WHERE c.status = 'active' AND cu.status = 'active'`,
    );
    this.links = db.prepare(
      `SELECT cz.campaign_id AS campaignId, cz.zone_id AS zoneId
       FROM campaign_zones cz JOIN campaigns c ON c.id = cz.campaign_id JOIN customers cu ON cu.id = c.customer_id
       WHERE c.status = 'active' AND cu.status = 'active'`,
    );
    // Every creative of a customer in good standing: the servable ones feed the index, all of them
    // answer clicks on ads shown before a pause (the landing URL comes from here, never from the token).
    this.creatives = db.prepare(
      `SELECT ${CREATIVE_COLUMNS}
       FROM creatives cr JOIN campaigns c ON c.id = cr.campaign_id JOIN customers cu ON cu.id = c.customer_id
       WHERE cu.status = 'active'`,
    );
    // The same conditions for one campaign (index lookups: campaigns' and creatives' keys, campaign_zones' primary key).
    this.campaignById = db.prepare(
      `SELECT ${CAMPAIGN_COLUMNS}
       FROM campaigns c JOIN customers cu ON cu.id = c.customer_id
       WHERE c.id = ? AND c.status = 'active' AND cu.status = 'active'`,
    );
    this.linksOfCampaign = db
      .prepare(
        `SELECT cz.zone_id FROM campaign_zones cz JOIN campaigns c ON c.id = cz.campaign_id JOIN customers cu ON cu.id = c.customer_id
         WHERE cz.campaign_id = ? AND c.status = 'active' AND cu.status = 'active'`,
      )
      .pluck();
    this.creativesOfCampaign = db.prepare(
      `SELECT ${CREATIVE_COLUMNS}
       FROM creatives cr JOIN campaigns c ON c.id = cr.campaign_id JOIN customers cu ON cu.id = c.customer_id
       WHERE cr.campaign_id = ? AND cu.status = 'active'`,
    );
  }

  /** Reads everything in one read transaction, so the index never mixes two states of the data. */
  load(): DeliverySnapshot {
    return this.db.transaction(() => ({
      zones: (this.zones.all() as Array<Flagged<ZoneRow>>).map((z) => ({ ...z, servable: z.servable === 1 })),
      campaigns: this.campaigns.all() as CampaignRow[],
      links: this.links.all() as DeliverySnapshot['links'],
      creatives: (this.creatives.all() as Array<Flagged<CreativeRow>>).map(creativeRow),
    }))();
  }

  /** The rows of some campaigns only, in one read transaction: what an incremental index update reads. */
  loadCampaigns(ids: Iterable<string>): Map<string, CampaignRows> {
    return this.db.transaction(() => {
      const out = new Map<string, CampaignRows>();
      for (const id of ids) {
        out.set(id, {
          campaign: (this.campaignById.get(id) as CampaignRow | undefined) ?? null,
          zoneIds: this.linksOfCampaign.all(id) as string[],
          creatives: (this.creativesOfCampaign.all(id) as Array<Flagged<CreativeRow>>).map(creativeRow),
        });
      }
      return out;
    })();
  }
}
