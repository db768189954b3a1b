import { customerTotalsQuerySchema } from '../../common/schemas/stats';
import { adminRoute, type AdminState } from '../admin/admin-route';
import { parseWith } from '../http/body';
import { notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { queryWithLocalDates } from './local-dates';
import { customerTotals } from './stats-query';
import type { StatsService } from './stats-service';

/** GET /api/customers/:id/totals: what the customer's campaigns served, showed and were clicked in a range. */
export function registerCustomerTotalsRoute(admin: Router<AdminState>, stats: StatsService): void {
  adminRoute(admin, 'GET /api/customers/:id/totals', ({ params, query }) => {
    const q = parseWith(customerTotalsQuerySchema, queryWithLocalDates(query, stats.timeZone));
    if (!params.id || !stats.repo.customerExists(params.id)) throw notFound('The customer');
    // Flushing first makes the answer include the last second's counts.
    stats.flush();
    return customerTotals(stats.repo, params.id, q.from, q.to);
  });
}
