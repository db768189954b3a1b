import type { Campaign, CampaignCreate, CampaignStatus } from '../../common/schemas/campaign';
import type { Goal, GoalKind, Pacing } from '../../common/schemas/pricing';
import type { ArchivedFilter } from '../../common/schemas/lifecycle';
import type { Page } from '../../common/schemas/paging';
import type { Targeting } from '../../common/schemas/targeting';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition, type Condition } from '../store/list-sql';
import { PriceRepo } from './price-repo';

interface CampaignRow {
  id: string;
  customer_id: string;
  name: string;
  status: string;
  starts_at: string;
  ends_at: string;
  impression_goal: number | null;
  goal_kind: string;
  pacing: string;
  daily_cap: number | null;
  priority: number;
  weight: number;
  targeting: string;
  exclusivity_group: string | null;
  visitor_daily_cap: number | null;
  created_at: string;
  updated_at: string;
}

/** Everything a campaign is written with besides its id, customer and prices. */
export type CampaignFields = Omit<CampaignCreate, 'customerId' | 'impressionGoal' | 'goal' | 'price'> & { goal: Goal };

/** Campaigns and their zone links: the only SQL on campaigns and campaign_zones. */
export class CampaignRepo {
  private readonly zonesOf;
  private readonly prices;

  /** `now` picks the price a campaign read carries (the one in effect now). */
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.prices = new PriceRepo(db);
    this.zonesOf = db.prepare('SELECT zone_id FROM campaign_zones WHERE campaign_id = ? ORDER BY rowid').pluck();
  }

  private toCampaign = (r: CampaignRow): Campaign => {
    const goal: Goal = r.impression_goal === null ? null : { kind: r.goal_kind as GoalKind, count: r.impression_goal };
    return {
      id: r.id,
      customerId: r.customer_id,
      name: r.name,
      status: r.status as CampaignStatus,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      zoneIds: this.zonesOf.all(r.id) as string[],
      impressionGoal: goal?.kind === 'impressions' ? goal.count : null,
      goal,
      pacing: r.pacing as Pacing,
      price: this.prices.current(r.id, this.now()),
      dailyCap: r.daily_cap,
      priority: r.priority,
      weight: r.weight,
      targeting: JSON.parse(r.targeting) as Targeting,
      exclusivityGroup: r.exclusivity_group,
      visitorDailyCap: r.visitor_daily_cap,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  };

  get(id: string): Campaign | null {
    const row = this.db.prepare('SELECT * FROM campaigns WHERE id = ?').get(id) as CampaignRow | undefined;
    return row ? this.toCampaign(row) : null;
  }

  /** Archived campaigns (status 'archived') are left out unless `archived` or `status` asks for them. */
  list(query: { limit: number; offset: number; q?: string; customerId?: string; status?: CampaignStatus; zoneId?: string; archived?: ArchivedFilter }): Page<Campaign> {
    const archived = query.status ? 'include' : (query.archived ?? 'exclude');
    const conditions: Array<Condition | null> = [
      searchCondition(query.q, ['name', 'id']),
      query.customerId ? { sql: 'customer_id = ?', params: [query.customerId] } : null,
      query.status ? { sql: 'status = ?', params: [query.status] } : null,
      query.zoneId ? { sql: 'id IN (SELECT campaign_id FROM campaign_zones WHERE zone_id = ?)', params: [query.zoneId] } : null,
      archived === 'include' ? null : { sql: archived === 'only' ? "status = 'archived'" : "status <> 'archived'", params: [] },
    ];
    return pagedSelect(this.db, 'campaigns', conditions, query, this.toCampaign);
  }

  /** How many of a customer's campaigns are active and in flight at `at`. */
  countRunning(customerId: string, at: Date): number {
    const now = at.toISOString();
    return this.db
      .prepare("SELECT COUNT(*) FROM campaigns WHERE customer_id = ? AND status = 'active' AND starts_at <= ? AND ends_at > ?")
      .pluck()
      .get(customerId, now, now) as number;
  }

  /** Inserts a campaign with its zone links; call inside a transaction. */
  insert(id: string, customerId: string, c: CampaignFields, at: string): Campaign {
    this.db
      .prepare(
        `INSERT INTO campaigns (id, customer_id, name, status, starts_at, ends_at, impression_goal, goal_kind, pacing, daily_cap, priority, weight, targeting, exclusivity_group, visitor_daily_cap, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, customerId, c.name, c.status, c.startsAt, c.endsAt, c.goal?.count ?? null, c.goal?.kind ?? 'impressions', c.pacing, c.dailyCap, c.priority, c.weight, JSON.stringify(c.targeting), c.exclusivityGroup, c.visitorDailyCap, at, at);
    this.linkZones(id, c.zoneIds);
    return this.get(id)!;
  }

  /** Writes all fields and replaces the zone links; call inside a transaction. */
  update(id: string, c: CampaignFields, at: string): Campaign | null {
    this.db
      .prepare(
        `UPDATE campaigns SET name = ?, status = ?, starts_at = ?, ends_at = ?, impression_goal = ?, goal_kind = ?, pacing = ?, daily_cap = ?, priority = ?, weight = ?,
         targeting = ?, exclusivity_group = ?, visitor_daily_cap = ?, updated_at = ? WHERE id = ?`,
      )
      .run(c.name, c.status, c.startsAt, c.endsAt, c.goal?.count ?? null, c.goal?.kind ?? 'impressions', c.pacing, c.dailyCap, c.priority, c.weight, JSON.stringify(c.targeting), c.exclusivityGroup, c.visitorDailyCap, at, id);
    this.db.prepare('DELETE FROM campaign_zones WHERE campaign_id = ?').run(id);
    this.linkZones(id, c.zoneIds);
    return this.get(id);
  }

  /** Sets the status alone (archive, restore, bulk pause/resume); call inside a transaction. */
  setStatus(id: string, status: CampaignStatus, at: string): Campaign | null {
    this.db.prepare('UPDATE campaigns SET status = ?, updated_at = ? WHERE id = ?').run(status, at, id);
    return this.get(id);
  }

  private linkZones(id: string, zoneIds: readonly string[]): void {
    const link = this.db.prepare('INSERT INTO campaign_zones (campaign_id, zone_id) VALUES (?, ?)');
    for (const zoneId of zoneIds) link.run(id, zoneId);
  }
}
