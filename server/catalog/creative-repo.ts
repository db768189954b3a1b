import type { Creative, CreativeStatus } from '../../common/schemas/creative';
import type { Page } from '../../common/schemas/paging';
import type { Db } from '../store/database';
import type { ArchivedFilter } from '../../common/schemas/lifecycle';
import { archivedCondition, pagedSelect, searchCondition, type Condition } from '../store/list-sql';

interface CreativeRow {
  id: string;
  campaign_id: string;
  name: string;
  width: number;
  height: number;
  image_url: string | null;
  asset_id: string | null;
  html: string | null;
  landing_url: string;
  alt: string;
  status: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A creative as stored: images are always assets (`image_url` stays NULL: first-party only). */
export type StoredCreative = Omit<Creative, 'imageUrl'>;

/** What a creative is created with. */
export type CreativeFields = Omit<StoredCreative, 'id' | 'archivedAt' | 'createdAt' | 'updatedAt'>;

const toCreative = (r: CreativeRow): StoredCreative => ({
  id: r.id,
  campaignId: r.campaign_id,
  name: r.name,
  width: r.width,
  height: r.height,
  assetId: r.asset_id,
  html: r.html,
  landingUrl: r.landing_url,
  alt: r.alt,
  status: r.status as CreativeStatus,
  archivedAt: r.archived_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Creatives: the only SQL on the creatives table. */
export class CreativeRepo {
  constructor(private readonly db: Db) {}

  get(id: string): StoredCreative | null {
    const row = this.db.prepare('SELECT * FROM creatives WHERE id = ?').get(id) as CreativeRow | undefined;
    return row ? toCreative(row) : null;
  }

  /** Paged list; `customerId` keeps the creatives of that customer's campaigns only (the portal's scope). */
  list(query: { limit: number; offset: number; q?: string; campaignId?: string; customerId?: string; status?: CreativeStatus; archived?: ArchivedFilter }): Page<StoredCreative> {
    const conditions: Array<Condition | null> = [
      searchCondition(query.q, ['name', 'alt', 'id']),
      query.campaignId ? { sql: 'campaign_id = ?', params: [query.campaignId] } : null,
      query.customerId ? { sql: 'campaign_id IN (SELECT id FROM campaigns WHERE customer_id = ?)', params: [query.customerId] } : null,
      query.status ? { sql: 'status = ?', params: [query.status] } : null,
      archivedCondition(query.archived ?? 'exclude'),
    ];
    return pagedSelect(this.db, 'creatives', conditions, query, toCreative);
  }

  insert(id: string, c: CreativeFields, at: string): StoredCreative {
    this.db
      .prepare(
        `INSERT INTO creatives (id, campaign_id, name, width, height, image_url, asset_id, html, landing_url, alt, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, c.campaignId, c.name, c.width, c.height, c.assetId, c.html, c.landingUrl, c.alt, c.status, at, at);
    return this.get(id)!;
  }

  update(id: string, c: Pick<StoredCreative, 'name' | 'status' | 'alt' | 'landingUrl' | 'assetId'>, at: string): StoredCreative | null {
    this.db
      .prepare('UPDATE creatives SET name = ?, status = ?, alt = ?, landing_url = ?, asset_id = ?, updated_at = ? WHERE id = ?')
      .run(c.name, c.status, c.alt, c.landingUrl, c.assetId, at, id);
    return this.get(id);
  }

  /** The campaign's creatives that are not archived, oldest first (what a duplicate copies). */
  ofCampaign(campaignId: string): StoredCreative[] {
    return (this.db.prepare('SELECT * FROM creatives WHERE campaign_id = ? AND archived_at IS NULL ORDER BY created_at, id').all(campaignId) as CreativeRow[]).map(toCreative);
  }

  /** Archives (`archivedAt` a time) or restores (null). */
  setArchived(id: string, archivedAt: string | null, at: string): StoredCreative | null {
    this.db.prepare('UPDATE creatives SET archived_at = ?, updated_at = ? WHERE id = ?').run(archivedAt, at, id);
    return this.get(id);
  }
}
