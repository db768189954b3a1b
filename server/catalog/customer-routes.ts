import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { can } from '../../common/access';
import { CUSTOMER_KINDS, CUSTOMER_STATUSES, customerCreateSchema, customerPatchSchema, type Customer } from '../../common/schemas/customer';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { assertCustomerActive, changedFields, commitChange, definedOnly, findOr404, parseListQuery } from './catalog-support';
import { CustomerRepo, type CustomerFields } from '../privacy/customer-repo';
import { newId } from '../store/new-id';

const EDITABLE = ['name', 'email', 'phone', 'address', 'contactPerson', 'kind', 'notes'] as const;
const fieldsOf = (c: Customer): CustomerFields => ({
  name: c.name,
  email: c.email,
  phone: c.phone,
  address: c.address,
  contactPerson: c.contactPerson,
  kind: c.kind,
  notes: c.notes,
});

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
      { actor: session.userId, action: 'customer.create', entity: 'customer', target: () => id, fields: () => EDITABLE.filter((k) => input[k] !== null) },
      () => customers.insert(id, input, ctx.now().toISOString()),
    );
    return reply(201, created);
  });

  adminRoute(admin, 'PATCH /api/customers/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const patch = await readJson(req, customerPatchSchema);
    assertCustomerActive(before);
    const merged: CustomerFields = { ...fieldsOf(before), ...definedOnly(patch) };
    const fields = changedFields(fieldsOf(before), merged, EDITABLE);
    return commitChange(
      ctx,
      { actor: session.userId, action: 'customer.update', entity: 'customer', target: () => before.id, fields: () => fields },
      () => customers.update(before.id, merged, ctx.now().toISOString()) ?? throwNotFound(),
    );
  });
}

function throwNotFound(): never {
  throw notFound('The customer');
}
