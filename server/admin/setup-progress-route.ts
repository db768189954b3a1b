import type { SetupProgress } from '../../common/schemas/setup-progress';
import type { Db } from '../store/database';
import type { Router } from '../http/router';
import { adminRoute, type AdminState } from './admin-route';

/**
 * GET /api/setup-progress: counts and the newest ids behind the overview's setup checklist. One
 * read of a few indexed counts; the checklist asks once per visit of the overview.
 */
export function registerSetupProgressRoute(admin: Router<AdminState>, db: Db): void {
  const counts = db.prepare(`SELECT
      (SELECT COUNT(*) FROM customers) AS customers,
      (SELECT COUNT(*) FROM sites) AS sites,
      (SELECT COUNT(*) FROM zones) AS zones,
      (SELECT COUNT(*) FROM campaigns) AS campaigns,
      (SELECT COUNT(*) FROM creatives) AS creatives,
      EXISTS (SELECT 1 FROM stats_hourly WHERE served > 0) AS tagServing,
      (SELECT COUNT(*) FROM approver_keys) AS approversEnrolled,
      EXISTS (SELECT 1 FROM key_ceremonies) AS ceremonyDone,
      (SELECT id FROM customers ORDER BY created_at DESC, id DESC LIMIT 1) AS customerId,
      (SELECT id FROM sites ORDER BY created_at DESC, id DESC LIMIT 1) AS siteId,
      (SELECT id FROM zones ORDER BY created_at DESC, id DESC LIMIT 1) AS zoneId,
      (SELECT site_id FROM zones ORDER BY created_at DESC, id DESC LIMIT 1) AS zoneSiteId,
      (SELECT id FROM campaigns ORDER BY created_at DESC, id DESC LIMIT 1) AS campaignId`);

  adminRoute(admin, 'GET /api/setup-progress', (): SetupProgress => {
    const r = counts.get() as Omit<SetupProgress, 'latest' | 'tagServing' | 'ceremonyDone'> & {
      tagServing: number;
      ceremonyDone: number;
      customerId: string | null;
      siteId: string | null;
      zoneId: string | null;
      zoneSiteId: string | null;
      campaignId: string | null;
    };
    return {
      customers: r.customers,
      sites: r.sites,
      zones: r.zones,
      campaigns: r.campaigns,
      creatives: r.creatives,
      tagServing: r.tagServing === 1,
      approversEnrolled: r.approversEnrolled,
      ceremonyDone: r.ceremonyDone === 1,
      latest: { customerId: r.customerId, siteId: r.siteId, zoneId: r.zoneId, zoneSiteId: r.zoneSiteId, campaignId: r.campaignId },
    };
  });
}
