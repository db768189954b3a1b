import type { Customer, CustomerPatch } from '../../common/schemas/customer';
import type { AppContext } from '../app-context';
import { notFound } from '../http/http-error';
import type { CustomerFields, CustomerRepo } from '../privacy/customer-repo';
import { assertCustomerActive, changedFields, commitChange, definedOnly } from './catalog-support';
import type { AuditAction } from '../../common/schemas/audit';

/** The fields staff and the customer itself may change (the customer's PATCH is a subset: common/schemas/portal.ts). */
export const CUSTOMER_EDITABLE = ['name', 'email', 'phone', 'address', 'contactPerson', 'kind', 'notes'] as const;

const fieldsOf = (c: Customer): CustomerFields => ({
  name: c.name,
  email: c.email,
  phone: c.phone,
  address: c.address,
  contactPerson: c.contactPerson,
  kind: c.kind,
  notes: c.notes,
});

/**
 * Applies a validated patch to an active customer and audits the changed field names (never their
 * values) as `action` by `actor`: staff edit (`customer.update`) and the customer's own
 * rectification in the portal (`customer.rectify`) go through here.
 */
export function patchCustomer(ctx: AppContext, customers: CustomerRepo, before: Customer, patch: Partial<CustomerPatch>, audit: { actor: string; action: AuditAction }): Customer {
  assertCustomerActive(before);
  const merged: CustomerFields = { ...fieldsOf(before), ...definedOnly(patch) };
  const fields = changedFields(fieldsOf(before), merged, CUSTOMER_EDITABLE);
  return commitChange(
    ctx,
    { ...audit, entity: 'customer', target: () => before.id, fields: () => fields },
    () => customers.update(before.id, merged, ctx.now().toISOString()) ?? throwNotFound(),
  );
}

function throwNotFound(): never {
  throw notFound('The customer');
}
