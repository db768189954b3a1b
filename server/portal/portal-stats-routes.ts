import { addDaysMs } from '../../common/local-time';
import type { PortalOverview } from '../../common/schemas/portal';
import { reportQuerySchema } from '../../common/schemas/stats';
import type { AppContext } from '../app-context';
import { CampaignRepo } from '../catalog/campaign-repo';
import { parseWith } from '../http/body';
import { notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { CustomerRepo } from '../privacy/customer-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { reportFilters, statsReport } from '../stats/report-query';
import { queryWithLocalDates } from '../stats/local-dates';
import type { StatsService } from '../stats/stats-service';
import { portalRoute, type PortalState } from './portal-route';

/**
 * The customer's statistics in the portal: the overview (running campaigns, the last 7 days of the operator time zone) and
 * GET /portal-api/stats, which answers what GET /api/stats answers with the customer filter forced
 * to the signed-in customer: for one or more of the customer's campaigns, or without campaignId
 * for all of them together. Another customer's id, as customerId or campaignId, is a 404.
 */
export function registerPortalStatsRoutes(ctx: AppContext, portal: Router<PortalState>, deps: { cipher: FieldCipher; stats: StatsService }): void {
  const { stats } = deps;
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const customers = new CustomerRepo(ctx.db, deps.cipher);

  portalRoute(portal, 'GET /portal-api/overview', (_ctx, session): PortalOverview => {
    // Business fields only: the overview decrypts no contact data.
    const customer = customers.view(session.customerId, false);
    if (!customer) throw notFound('The customer');
    const now = ctx.now();
    const today = stats.days.dayOf(now.getTime());
    stats.flush();
    const week = { from: addDaysMs(today, -6, stats.timeZone), to: now.getTime() + 1, granularity: 'day' as const };
    const [series] = statsReport(stats.reports, week, { customer: [customer.id] }, { nowMs: now.getTime(), reach: stats.reachSource, totalKey: customer.id, days: stats.days }).series;
    const points = series!.points;
    const totals = points.reduce((a, p) => ({ served: a.served + p.served, impressions: a.impressions + p.impressions, clicks: a.clicks + p.clicks }), { served: 0, impressions: 0, clicks: 0 });
    return {
      customer: { id: customer.id, name: customer.name },
      timeZone: stats.timeZone,
      activeCampaigns: campaigns.countRunning(customer.id, now),
      last7Days: { points, totals: { ...totals, ctr: totals.impressions > 0 ? totals.clicks / totals.impressions : 0 } },
    };
  });

  portalRoute(portal, 'GET /portal-api/stats', ({ query }, session) => {
    const q = parseWith(reportQuerySchema, queryWithLocalDates(query, stats.timeZone));
    // Another customer (or its campaign) is answered like a missing one, so ids reveal nothing.
    if (q.customerId && q.customerId.some((id) => id !== session.customerId)) throw notFound('The customer');
    if (q.campaignId && q.campaignId.some((id) => campaigns.get(id)?.customerId !== session.customerId)) throw notFound('The campaign');
    // Flushing first makes the answer include the last second's counts.
    stats.flush();
    const filters = { ...reportFilters(q), customer: [session.customerId] };
    const totalKey = q.campaignId?.length === 1 ? q.campaignId[0]! : session.customerId;
    return statsReport(stats.reports, q, filters, { nowMs: ctx.now().getTime(), reach: stats.reachSource, totalKey, days: stats.days });
  });
}
