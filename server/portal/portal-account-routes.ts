import type { PortalAccount } from '../../common/schemas/portal';
import { portalAccountPatchSchema, portalDeletionSchema } from '../../common/schemas/portal';
import type { AppContext } from '../app-context';
import { patchCustomer } from '../catalog/customer-update';
import { readJson } from '../http/body';
import { notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { CustomerPrivacyActions } from '../privacy/customer-privacy-actions';
import { CustomerRepo } from '../privacy/customer-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { portalRoute, type PortalSession, type PortalState } from './portal-route';

/** The audit actor of a portal user. */
export const portalActor = (session: PortalSession) => `portal:${session.userId}`;

/**
 * "My data" in the portal: the customer's contact data and lifecycle state, rectification (the
 * staff PATCH's rules), the portability export and the deletion request — the same functions staff
 * use, audited with the portal user as actor.
 */
export function registerPortalAccountRoutes(ctx: AppContext, portal: Router<PortalState>, deps: { cipher: FieldCipher }): void {
  const customers = new CustomerRepo(ctx.db, deps.cipher);
  const privacy = new CustomerPrivacyActions(ctx, deps.cipher);

  const account = (customerId: string): PortalAccount => {
    const c = customers.get(customerId);
    if (!c) throw notFound('The customer');
    return { id: c.id, name: c.name, kind: c.kind, email: c.email, phone: c.phone, address: c.address, contactPerson: c.contactPerson, notes: c.notes, retention: privacy.retention(c.id) };
  };

  portalRoute(portal, 'GET /portal-api/account', (_ctx, session) => account(session.customerId));

  portalRoute(portal, 'PATCH /portal-api/account', async ({ req }, session) => {
    const before = customers.get(session.customerId);
    if (!before) throw notFound('The customer');
    const patch = await readJson(req, portalAccountPatchSchema);
    patchCustomer(ctx, customers, before, patch, { actor: portalActor(session), action: 'customer.rectify' });
    return account(before.id);
  });

  portalRoute(portal, 'GET /portal-api/export', (_ctx, session) => {
    if (!privacy.exists(session.customerId)) throw notFound('The customer');
    const data = privacy.exportData(session.customerId, portalActor(session));
    const day = data.exportedAt.slice(0, 10);
    return reply(200, data, { 'content-disposition': `attachment; filename="customer-export-${day}.json"`, 'cache-control': 'no-store' });
  });

  portalRoute(portal, 'POST /portal-api/deletion', async ({ req }, session) => {
    await readJson(req, portalDeletionSchema);
    if (!privacy.exists(session.customerId)) throw notFound('The customer');
    // Restricted at once (locked, no delivery, no portal sign-in: the session resolver refuses it); erased when retention ends.
    return reply(202, privacy.restrict(session.customerId, portalActor(session)));
  });
}
