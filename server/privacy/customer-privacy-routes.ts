import { isId } from '../../common/schemas/ids';
import { customerDeletionSchema, customerRecordsSchema } from '../../common/schemas/privacy';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { CustomerPrivacyActions } from './customer-privacy-actions';
import { CustomerPrivacyRepo } from './customer-privacy-repo';
import type { FieldCipher } from './field-cipher';

/** POST /api/customers/:id/deletion, GET/PUT /api/customers/:id/records, GET /api/customers/:id/export. */
export function registerCustomerPrivacyRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const repo = new CustomerPrivacyRepo(ctx.db, cipher);
  const actions = new CustomerPrivacyActions(ctx, cipher);
  const idOf = (id: string | undefined): string => {
    if (!isId('customer', id) || !repo.exists(id)) throw notFound('The customer');
    return id;
  };
  // An empty body is allowed where every field is optional.
  const optionalJson = async <T>(req: Parameters<typeof readJson>[0], read: () => Promise<T>, empty: T): Promise<T> =>
    req.headers['content-length'] === '0' || (!req.headers['content-type'] && !req.headers['transfer-encoding']) ? empty : read();

  adminRoute(admin, 'POST /api/customers/:id/deletion', async ({ req, params }, session) => {
    const id = idOf(params.id);
    const dates = await optionalJson(req, () => readJson(req, customerDeletionSchema), {});
    return actions.restrict(id, session.userId, dates);
  });

  adminRoute(admin, 'GET /api/customers/:id/records', ({ params }) => actions.retention(idOf(params.id)));

  adminRoute(admin, 'PUT /api/customers/:id/records', async ({ req, params }, session) => {
    const id = idOf(params.id);
    const dates = await readJson(req, customerRecordsSchema);
    ctx.db.transaction(() => {
      repo.setRecords(id, dates, ctx.now());
      ctx.audit.append({ actor: session.userId, action: 'customer.records', target: id, details: { fields: Object.keys(dates) } });
    }).immediate();
    return actions.retention(id);
  });

  adminRoute(admin, 'GET /api/customers/:id/export', ({ params }, session) => actions.exportData(idOf(params.id), session.userId));
}
