import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { can } from '../../common/access';
import { CUSTOMER_KINDS, CUSTOMER_STATUSES, customerCreateSchema, customerPatchSchema } from '../../common/schemas/customer';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { commitChange, findOr404, parseListQuery } from './catalog-support';
import { CUSTOMER_EDITABLE, patchCustomer } from './customer-update';
import { CustomerRepo } from '../privacy/customer-repo';
import { newId } from '../store/new-id';

/** GET/POST /api/customers, GET/PATCH /api/customers/:id. */
export function registerCustomerRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const customers = new CustomerRepo(ctx.db, cipher);
  const find = (id: string | undefined) => findOr404('customer', id, (i) => customers.get(i), 'The customer');

  // Contact fields only for roles that may read them (common/access.ts); for the others they are not even decrypted.
  adminRoute(admin, 'GET /api/customers', ({ query }, session) =>
    customers.list(parseListQuery(query, { kind: z.enum(CUSTOMER_KINDS).optional(), status: z.enum(CUSTOMER_STATUSES).optional() }), can(session.roles, 'readCustomerContact')),
  );

  adminRoute(admin, 'GET /api/customers/:id', ({ params }, session) =>
    findOr404('customer', params.id, (i) => customers.view(i, can(session.roles, 'readCustomerContact')), 'The customer'),
  );

  adminRoute(admin, 'POST /api/customers', async ({ req }, session) => {
    const input = await readJson(req, customerCreateSchema);
    const id = newId('customer');
    const created = commitChange(
      ctx,
      { actor: session.userId, action: 'customer.create', entity: 'customer', target: () => id, fields: () => CUSTOMER_EDITABLE.filter((k) => input[k] !== null) },
      () => customers.insert(id, input, ctx.now().toISOString()),
    );
    return reply(201, created);
  });

  adminRoute(admin, 'PATCH /api/customers/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const patch = await readJson(req, customerPatchSchema);
    return patchCustomer(ctx, customers, before, patch, { actor: session.userId, action: 'customer.update' });
  });
}
