import type { FieldCipher } from '../privacy/field-cipher';
import { idSchema } from '../../common/schemas/ids';
import { siteCreateSchema, sitePatchSchema, type Site } from '../../common/schemas/site';
import { zoneCreateSchema, zonePatchSchema, type Zone } from '../../common/schemas/zone';
import { adminRoute, type AdminHandler, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { archivedFilterSchema } from '../../common/schemas/lifecycle';
import { HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import {
  archivedError,
  assertCustomerActive,
  changedFields,
  commitChange,
  definedOnly,
  findOr404,
  missingReference,
  parseListQuery,
} from './catalog-support';
import { CustomerRepo } from '../privacy/customer-repo';
import { newId } from '../store/new-id';
import { SiteRepo } from './site-repo';
import { ZoneRepo } from './zone-repo';

/**
 * Sites/apps and their zones: GET/POST /api/sites, GET/PATCH /api/sites/:id, POST /api/sites/:id/archive|restore,
 * the same for /api/zones. Lists leave archived ones out unless `?archived=include|only`.
 */
export function registerSiteZoneRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const customers = new CustomerRepo(ctx.db, cipher);
  const sites = new SiteRepo(ctx.db);
  const zones = new ZoneRepo(ctx.db);
  const findSite = (id: string | undefined) => findOr404('site', id, (i) => sites.get(i), 'The site');
  const findZone = (id: string | undefined) => findOr404('zone', id, (i) => zones.get(i), 'The zone');
  /** Changes to a site or zone need its customer to exist and not be restricted. */
  const activeOwner = (customerId: string) => {
    const customer = customers.get(customerId);
    if (!customer) throw notFound('The customer');
    assertCustomerActive(customer);
  };

  adminRoute(admin, 'GET /api/sites', ({ query }) => sites.list(parseListQuery(query, { customerId: idSchema('customer').optional(), archived: archivedFilterSchema })));
  adminRoute(admin, 'GET /api/sites/:id', ({ params }) => findSite(params.id));

  adminRoute(admin, 'POST /api/sites', async ({ req }, session) => {
    const input = await readJson(req, siteCreateSchema);
    const customer = customers.get(input.customerId);
    if (!customer) throw missingReference('The customer', 'customerId');
    assertCustomerActive(customer);
    const id = newId('site');
    const site = commitChange(
      ctx,
      { actor: session.userId, action: 'site.create', entity: 'site', target: () => id, fields: () => ['customerId', 'name', 'domain', 'kind', ...(input.notes ? ['notes'] : [])] },
      () => sites.insert(id, input, ctx.now().toISOString()),
    );
    return reply(201, site);
  });

  adminRoute(admin, 'PATCH /api/sites/:id', async ({ req, params }, session) => {
    const before = findSite(params.id);
    const patch = await readJson(req, sitePatchSchema);
    activeOwner(before.customerId);
    if (before.archivedAt) throw archivedError('site');
    const merged: Site = { ...before, ...definedOnly(patch) };
    const fields = changedFields(before, merged, ['name', 'domain', 'kind', 'notes']);
    return commitChange(
      ctx,
      { actor: session.userId, action: 'site.update', entity: 'site', target: () => before.id, fields: () => fields },
      () => sites.update(before.id, merged, ctx.now().toISOString())!,
    );
  });

  adminRoute(admin, 'GET /api/zones', ({ query }) =>
    zones.list(parseListQuery(query, { siteId: idSchema('site').optional(), archived: archivedFilterSchema })),
  );
  adminRoute(admin, 'GET /api/zones/:id', ({ params }) => findZone(params.id));

  adminRoute(admin, 'POST /api/zones', async ({ req }, session) => {
    const input = await readJson(req, zoneCreateSchema);
    const site = sites.get(input.siteId);
    if (!site) throw missingReference('The site', 'siteId');
    activeOwner(site.customerId);
    if (site.archivedAt) throw archivedError('site');
    const id = newId('zone');
    const zone = commitChange(
      ctx,
      { actor: session.userId, action: 'zone.create', entity: 'zone', target: () => id, fields: () => ['siteId', 'name', 'width', 'height'] },
      () => zones.insert(id, input, ctx.now().toISOString()),
    );
    return reply(201, zone);
  });

  adminRoute(admin, 'PATCH /api/zones/:id', async ({ req, params }, session) => {
    const before = findZone(params.id);
    const patch = await readJson(req, zonePatchSchema);
    const site = findSite(before.siteId);
    activeOwner(site.customerId);
    if (before.archivedAt) throw archivedError('zone');
    if (site.archivedAt) throw archivedError('site');
    const merged: Zone = { ...before, ...definedOnly(patch) };
    const fields = changedFields(before, merged, ['name', 'width', 'height']);
    // Creatives were booked and served for this size; changing it would silently stop or misfit them.
    if (before.sizeLocked && (fields.includes('width') || fields.includes('height'))) {
      const message = `Ads have been served in this zone, so its size (${before.width}×${before.height}) is fixed. Create a new zone for another size.`;
      throw new HttpError(409, 'zone_size_locked', message, [{ path: 'width', message }], undefined, { width: before.width, height: before.height });
    }
    return commitChange(
      ctx,
      { actor: session.userId, action: 'zone.update', entity: 'zone', target: () => before.id, fields: () => fields },
      () => zones.update(before.id, merged, ctx.now().toISOString())!,
    );
  });

  // Archiving is a state, not a deletion: statistics and invoices keep naming the site or zone, and restoring
  // brings it back as it was. Archiving twice (or restoring what is in use) changes nothing and writes no audit entry.
  const setSiteArchived = (archive: boolean): AdminHandler => ({ params }, session) => {
    const before = findSite(params.id);
    activeOwner(before.customerId);
    if ((before.archivedAt !== null) === archive) return before;
    return commitChange(
      ctx,
      { actor: session.userId, action: archive ? 'site.archive' : 'site.restore', entity: 'site', target: () => before.id, fields: () => ['archivedAt'] },
      () => sites.setArchived(before.id, archive ? ctx.now().toISOString() : null, ctx.now().toISOString())!,
    );
  };
  const setZoneArchived = (archive: boolean): AdminHandler => ({ params }, session) => {
    const before = findZone(params.id);
    activeOwner(findSite(before.siteId).customerId);
    if ((before.archivedAt !== null) === archive) return before;
    return commitChange(
      ctx,
      { actor: session.userId, action: archive ? 'zone.archive' : 'zone.restore', entity: 'zone', target: () => before.id, fields: () => ['archivedAt'] },
      () => zones.setArchived(before.id, archive ? ctx.now().toISOString() : null, ctx.now().toISOString())!,
    );
  };
  // Archiving is a state, not a deletion: statistics and statements keep naming the site or zone, and restoring
  // brings it back as it was. Archiving twice (or restoring what is in use) changes nothing and writes no audit entry.
  adminRoute(admin, 'POST /api/sites/:id/archive', setSiteArchived(true));
  adminRoute(admin, 'POST /api/sites/:id/restore', setSiteArchived(false));
  adminRoute(admin, 'POST /api/zones/:id/archive', setZoneArchived(true));
  adminRoute(admin, 'POST /api/zones/:id/restore', setZoneArchived(false));
}
