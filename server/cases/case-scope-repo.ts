import type { Db } from '../store/database';

/** The catalogue lookups a case needs (ids only; no personal data): existence and zone sets. */
export class CaseScopeRepo {
  constructor(private readonly db: Db) {}

  exists(kind: 'customer' | 'site' | 'zone', id: string): boolean {
    const table = kind === 'customer' ? 'customers' : kind === 'site' ? 'sites' : 'zones';
    return this.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
  }

  /** Zones placed on one site. */
  zonesOfSite(siteId: string): string[] {
    return this.db.prepare('SELECT id FROM zones WHERE site_id = ?').pluck().all(siteId) as string[];
  }

  /** Zones on the sites of a publisher customer. */
  zonesOfCustomer(customerId: string): string[] {
    return this.db.prepare('SELECT z.id FROM zones z JOIN sites s ON s.id = z.site_id WHERE s.customer_id = ?').pluck().all(customerId) as string[];
  }

  /** Creatives of an advertiser customer's campaigns (impression and click URLs name creatives). */
  creativesOfCustomer(customerId: string): string[] {
    return this.db.prepare('SELECT c.id FROM creatives c JOIN campaigns m ON m.id = c.campaign_id WHERE m.customer_id = ?').pluck().all(customerId) as string[];
  }
}
