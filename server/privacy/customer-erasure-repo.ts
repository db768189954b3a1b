import type { Db } from '../store/database';

/** How many rows of each kind an erasure removed (what the audit entry records instead of the data). */
export interface ErasureCounts {
  customers: number;
  records: number;
  sites: number;
  zones: number;
  campaigns: number;
  campaignZones: number;
  creatives: number;
  assets: number;
  requestsDetached: number;
  /** Customer portal: the customer's users (with their sessions and second factors) and invitations. */
  portalUsers: number;
  portalSessions: number;
  portalInvitations: number;
}

type Row = Record<string, unknown>;

const camel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
/** Row → JSON object with camelCase keys; JSON columns parsed, BLOBs as base64. */
function toJson(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (Buffer.isBuffer(v)) out[camel(k)] = v.toString('base64');
    else if (k === 'targeting' && typeof v === 'string') out[camel(k)] = JSON.parse(v) as unknown;
    else out[camel(k)] = v;
  }
  return out;
}

// The rows that belong to a customer: its sites and their zones, its campaigns and their creatives,
// and the assets used only by those creatives (an asset shared with another customer's creative stays).
const MINE = `
  WITH my_sites AS (SELECT id FROM sites WHERE customer_id = @id),
       my_zones AS (SELECT id FROM zones WHERE site_id IN (SELECT id FROM my_sites)),
       my_campaigns AS (SELECT id FROM campaigns WHERE customer_id = @id),
       my_creatives AS (SELECT id, asset_id FROM creatives WHERE campaign_id IN (SELECT id FROM my_campaigns))`;
const MY_ASSETS = `SELECT asset_id FROM my_creatives WHERE asset_id IS NOT NULL
  AND asset_id NOT IN (SELECT asset_id FROM creatives WHERE asset_id IS NOT NULL AND campaign_id NOT IN (SELECT id FROM my_campaigns))`;

/** Erasure and export of everything the store holds about one customer. */
export class CustomerErasureRepo {
  constructor(private readonly db: Db) {}

  /** Everything about a customer except the customer row itself (the caller adds it, decrypted). */
  collect(id: string): {
    sites: Row[];
    zones: Row[];
    campaigns: Row[];
    creatives: Row[];
    assets: Row[];
    statistics: Row[];
    requests: Row[];
  } {
    const all = (sql: string) => (this.db.prepare(`${MINE} ${sql}`).all({ id }) as Row[]).map(toJson);
    const campaigns = all('SELECT * FROM campaigns WHERE id IN (SELECT id FROM my_campaigns) ORDER BY created_at');
    const links = all('SELECT campaign_id, zone_id FROM campaign_zones WHERE campaign_id IN (SELECT id FROM my_campaigns)');
    // Price histories belong to the campaign's contract; who on the staff entered them does not go out.
    const prices = all('SELECT campaign_id, effective_from, model, amount_micros FROM campaign_prices WHERE campaign_id IN (SELECT id FROM my_campaigns) ORDER BY effective_from, id');
    for (const c of campaigns) {
      c.zoneIds = links.filter((l) => l.campaignId === c.id).map((l) => l.zoneId);
      c.prices = prices.filter((p) => p.campaignId === c.id).map(({ campaignId: _, ...p }) => p);
    }
    return {
      sites: all('SELECT * FROM sites WHERE id IN (SELECT id FROM my_sites) ORDER BY created_at'),
      zones: all('SELECT * FROM zones WHERE id IN (SELECT id FROM my_zones) ORDER BY created_at'),
      campaigns,
      creatives: all('SELECT * FROM creatives WHERE id IN (SELECT id FROM my_creatives) ORDER BY created_at'),
      assets: all(`SELECT * FROM assets WHERE id IN (SELECT asset_id FROM my_creatives) ORDER BY created_at`),
      // Daily totals of its campaigns and of its sites' placements (the rollups are hourly).
      statistics: all(`SELECT date(hour, 'unixepoch') AS day, campaign_id, site_id, SUM(served) AS served, SUM(impressions) AS impressions, SUM(clicks) AS clicks
        FROM stats_hourly WHERE campaign_id IN (SELECT id FROM my_campaigns) OR site_id IN (SELECT id FROM my_sites)
        GROUP BY day, campaign_id, site_id ORDER BY day, campaign_id, site_id`),
      // Requests about the customer hold other people's data: only their handling is the customer's.
      requests: (this.db.prepare('SELECT id, kind, status, received_at, due_at, forwarded_at, closed_at FROM requests WHERE customer_id = ? OR forwarded_to = ? ORDER BY received_at').all(id, id) as Row[]).map(toJson),
    };
  }

  /**
   * Deletes a customer and everything about it in one transaction. Statistics rollups stay: they
   * are pseudonymous aggregates keyed by ids that nothing resolves any more once this has run;
   * the campaign-daily rollup's copy of the customer id is blanked, as the campaigns go.
   */
  erase(id: string): ErasureCounts {
    return this.db.transaction(() => {
      const run = (sql: string) => this.db.prepare(`${MINE} ${sql}`).run({ id }).changes;
      const assetIds = this.db.prepare(`${MINE} ${MY_ASSETS}`).pluck().all({ id }) as string[];
      this.db.prepare("UPDATE stats_campaign_daily SET customer_id = '' WHERE customer_id = ?").run(id);
      const counts: ErasureCounts = {
        campaignZones: run('DELETE FROM campaign_zones WHERE campaign_id IN (SELECT id FROM my_campaigns) OR zone_id IN (SELECT id FROM my_zones)'),
        creatives: run('DELETE FROM creatives WHERE campaign_id IN (SELECT id FROM my_campaigns)'),
        assets: 0,
        campaigns: run('DELETE FROM campaigns WHERE customer_id = @id'),
        zones: run('DELETE FROM zones WHERE site_id IN (SELECT id FROM my_sites)'),
        sites: run('DELETE FROM sites WHERE customer_id = @id'),
        records: this.db.prepare('DELETE FROM customer_records WHERE customer_id = ?').run(id).changes,
        // Portal accounts first (sessions, then users with their TOTP rows, then invitations): nobody may stay signed in.
        portalSessions: this.db.prepare('DELETE FROM portal_sessions WHERE portal_user_id IN (SELECT id FROM portal_users WHERE customer_id = ?)').run(id).changes,
        portalUsers: this.db.prepare('DELETE FROM portal_users WHERE customer_id = ?').run(id).changes,
        portalInvitations: this.db.prepare('DELETE FROM portal_invitations WHERE customer_id = ?').run(id).changes,
        requestsDetached: this.db
          .prepare(
            `UPDATE requests SET customer_id = CASE WHEN customer_id = @id THEN NULL ELSE customer_id END,
               forwarded_to = CASE WHEN forwarded_to = @id THEN NULL ELSE forwarded_to END WHERE customer_id = @id OR forwarded_to = @id`,
          )
          .run({ id }).changes,
        customers: this.db.prepare('DELETE FROM customers WHERE id = ?').run(id).changes,
      };
      const delAsset = this.db.prepare('DELETE FROM assets WHERE id = ?');
      for (const a of assetIds) counts.assets += delAsset.run(a).changes;
      return counts;
    })();
  }
}
