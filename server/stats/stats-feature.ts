import { reportQuerySchema, STATS_MAX_RANGE_DAYS, statsSummaryQuerySchema } from '../../common/schemas/stats';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { parseWith } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import { registerCustomerTotalsRoute } from './customer-totals-route';
import { queryWithLocalDates } from './local-dates';
import { reportFilters, statsReport } from './report-query';
import { statsSummary } from './stats-query';
import type { Router } from '../http/router';
import type { StatsService } from './stats-service';

const DAY_MS = 86_400_000;
/** The statistics API on the admin listener (any signed-in role may read statistics). */
export function registerStatsRoutes(ctx: AppContext, admin: Router<AdminState>, stats: StatsService): void {
  adminRoute(admin, 'GET /api/stats', ({ query }) => {
    const q = parseWith(reportQuerySchema, queryWithLocalDates(query, stats.timeZone));
    const filters = reportFilters(q);
    if (q.customerId && stats.reports.existing('customers', q.customerId).size < q.customerId.length) throw notFound('The customer');
    if (q.campaignId && stats.reports.existing('campaigns', q.campaignId).size < q.campaignId.length) throw notFound('The campaign');
    // Flushing first makes the answer include the last second's counts.
    stats.flush();
    // One campaign (or one customer) alone keeps the key it always had; anything else is "all".
    const totalKey = q.campaignId?.length === 1 ? q.campaignId[0]! : !q.campaignId && q.customerId?.length === 1 ? q.customerId[0]! : 'all';
    return statsReport(stats.reports, q, filters, { nowMs: ctx.now().getTime(), reach: stats.reachSource, totalKey, days: stats.days });
  });

  adminRoute(admin, 'GET /api/stats/summary', ({ query }) => {
    const q = parseWith(statsSummaryQuerySchema, queryWithLocalDates(query, stats.timeZone));
    const now = ctx.now().getTime();
    const to = q.to ?? now;
    // Without `from`: the operator's today so far.
    const from = q.from ?? stats.days.dayOf(Math.min(to - 1, now));
    if (to <= from) throw new HttpError(400, 'stats_range_order', 'to must be later than from.');
    if (to - from > STATS_MAX_RANGE_DAYS.day * DAY_MS) throw new HttpError(400, 'stats_range_too_long', `The range may span at most ${STATS_MAX_RANGE_DAYS.day} days.`, undefined, undefined, { maxDays: STATS_MAX_RANGE_DAYS.day });
    stats.flush();
    return statsSummary(stats.repo, from, to, stats.reachRepo);
  });

  registerCustomerTotalsRoute(admin, stats);
}
