import { m001Core } from './001-core';
import { m002Audit } from './002-audit';
import { m003Installation } from './003-installation';
import { m005Totp } from './005-totp';
import { m006AuditFilters } from './006-audit-filters';
import { m010DeliveryStats } from './010-delivery-stats';
import { m011ExclusivityGroup } from './011-exclusivity-group';
import { m012StatsCountry } from './012-stats-country';
import { m013StatsViewCounts } from './013-stats-view-counts';
import { m015Reach } from './015-reach';
import { m016StatsReportIndex } from './016-stats-report-index';
import { m017CatalogLifecycle } from './017-catalog-lifecycle';
import { m018StatsDaily } from './018-stats-daily';
import { m019StatsCampaignDaily } from './019-stats-campaign-daily';
import { m021StatsRevenue } from './021-stats-revenue';
import { m022StatsCustomerRollups } from './022-stats-customer-rollups';
import { m023SeenMarksAppend } from './023-seen-marks-append';
import { m020SealingKeys } from './020-sealing-keys';
import { m025ApproverKeys } from './025-approver-keys';
import { m026Cases } from './026-cases';
import { m027AuditHead } from './027-audit-head';
import { m030Privacy } from './030-privacy';
import { m031Requests } from './031-requests';
import { m014GoalsPricing } from './014-goals-pricing';
import { m032LandingUrls } from './032-landing-urls';
import { m033StaffEmail } from './033-staff-email';
import { m040Portal } from './040-portal';
import { m041RequestReplies } from './041-request-replies';
import type { Db } from '../database';

/** One numbered migration; `up` is plain SQL, `data` an optional step for what SQL cannot do; both in one transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string;
  data?: (db: Db) => void;
}

/**
 * Every migration, in any order (they are sorted by version). Ranges by area keep parallel work
 * from colliding: 1–9 core/admin, 10–19 delivery and statistics, 20–29 sealing and cases,
 * 30–39 privacy lifecycle, 40–49 customer portal.
 */
export const MIGRATIONS: readonly Migration[] = [m001Core, m002Audit, m003Installation, m005Totp, m006AuditFilters, m010DeliveryStats, m011ExclusivityGroup, m012StatsCountry, m013StatsViewCounts, m014GoalsPricing, m015Reach, m016StatsReportIndex, m017CatalogLifecycle, m018StatsDaily, m019StatsCampaignDaily, m020SealingKeys, m021StatsRevenue, m022StatsCustomerRollups, m023SeenMarksAppend, m025ApproverKeys, m026Cases, m027AuditHead, m030Privacy, m031Requests, m032LandingUrls, m033StaffEmail, m040Portal, m041RequestReplies];
