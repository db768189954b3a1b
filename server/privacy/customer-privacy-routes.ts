import { isId } from '../../common/schemas/ids';
import { customerDeletionSchema, customerRecordsSchema, type CustomerRetention } from '../../common/schemas/privacy';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { CustomerRepo } from './customer-repo';
import { readJson } from '../http/body';
import { notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { CustomerErasureRepo } from './customer-erasure-repo';
import { CustomerPrivacyRepo } from './customer-privacy-repo';
import { erasureDueAt } from './erasure-schedule';
import type { FieldCipher } from './field-cipher';
import { retentionPolicy } from './privacy-options';

/** POST /api/customers/:id/deletion, GET/PUT /api/customers/:id/records, GET /api/customers/:id/export. */
export function registerCustomerPrivacyRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const repo = new CustomerPrivacyRepo(ctx.db, cipher);
  const erasure = new CustomerErasureRepo(ctx.db);
  const policy = retentionPolicy(ctx.config.privacy);
  const idOf = (id: string | undefined): string => {
    if (!isId('customer', id) || !repo.exists(id)) throw notFound('The customer');
    return id;
  };
  const retention = (id: string): CustomerRetention => {
    const s = repo.retentionState(id)!;
    const due = s.status === 'restricted' && s.restrictedAt ? erasureDueAt(new Date(s.restrictedAt), s, policy) : null;
    return { customerId: id, ...s, eraseAfter: due?.at.toISOString() ?? null, eraseReason: due?.reason ?? null };
  };
  // An empty body is allowed where every field is optional.
  const optionalJson = async <T>(req: Parameters<typeof readJson>[0], read: () => Promise<T>, empty: T): Promise<T> =>
    req.headers['content-length'] === '0' || (!req.headers['content-type'] && !req.headers['transfer-encoding']) ? empty : read();

  adminRoute(admin, 'POST /api/customers/:id/deletion', async ({ req, params }, session) => {
    const id = idOf(params.id);
    const dates = await optionalJson(req, () => readJson(req, customerDeletionSchema), {});
    const now = ctx.now();
    const changed = ctx.db.transaction(() => {
      if (dates.lastContractAt !== undefined || dates.lastInvoiceAt !== undefined) repo.setRecords(id, dates, now);
      if (!repo.restrict(id, now)) return false;
      const r = retention(id);
      ctx.audit.append({ actor: session.userId, action: 'customer.restrict', target: id, details: { eraseAfter: r.eraseAfter, period: r.eraseReason } });
      return true;
    }).immediate();
    // Delivery rebuilds its index without the restricted customer's campaigns.
    if (changed) ctx.events.emit('data-changed', 'customer');
    return retention(id);
  });

  adminRoute(admin, 'GET /api/customers/:id/records', ({ params }) => retention(idOf(params.id)));

  adminRoute(admin, 'PUT /api/customers/:id/records', async ({ req, params }, session) => {
    const id = idOf(params.id);
    const dates = await readJson(req, customerRecordsSchema);
    ctx.db.transaction(() => {
      repo.setRecords(id, dates, ctx.now());
      ctx.audit.append({ actor: session.userId, action: 'customer.records', target: id, details: { fields: Object.keys(dates) } });
    }).immediate();
    return retention(id);
  });

  adminRoute(admin, 'GET /api/customers/:id/export', ({ params }, session) => {
    const id = idOf(params.id);
    const customer = new CustomerRepo(ctx.db, cipher).get(id);
    const data = erasure.collect(id);
    const counts = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length]));
    ctx.audit.append({ actor: session.userId, action: 'customer.export', target: id, details: counts });
    return { format: 'creative-engine customer export v1', exportedAt: ctx.now().toISOString(), customer, retention: retention(id), ...data };
  });
}
