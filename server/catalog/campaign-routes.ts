import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { CAMPAIGN_STATUSES, campaignCreateSchema, campaignPatchSchema, goalOf, type Campaign } from '../../common/schemas/campaign';
import { priceChangeSchema } from '../../common/schemas/pricing';
import { idSchema } from '../../common/schemas/ids';
import type { AuditAction } from '../../common/schemas/audit';
import {
  archivedFilterSchema,
  campaignBulkSchema,
  campaignDuplicateSchema,
  type BulkAction,
  type BulkOutcome,
  type BulkResult,
} from '../../common/schemas/lifecycle';
import { adminRoute, type AdminHandler, type AdminState, type Session } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
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
import { CampaignRepo, type CampaignFields } from './campaign-repo';
import { CampaignRules } from './campaign-rules';
import { CreativeRepo } from './creative-repo';
import { CustomerRepo } from '../privacy/customer-repo';
import { newId } from '../store/new-id';
import { PriceRepo } from './price-repo';
import { ZoneRepo } from './zone-repo';

const EDITABLE = ['name', 'startsAt', 'endsAt', 'zoneIds', 'status', 'goal', 'pacing', 'dailyCap', 'priority', 'weight', 'targeting', 'exclusivityGroup', 'visitorDailyCap'] as const;

const fieldsOf = (c: Campaign): CampaignFields => ({
  name: c.name,
  startsAt: c.startsAt,
  endsAt: c.endsAt,
  zoneIds: c.zoneIds,
  status: c.status,
  goal: c.goal,
  pacing: c.pacing,
  dailyCap: c.dailyCap,
  priority: c.priority,
  weight: c.weight,
  targeting: c.targeting,
  exclusivityGroup: c.exclusivityGroup,
  visitorDailyCap: c.visitorDailyCap,
});

/**
 * Campaigns: GET/POST /api/campaigns, GET/PATCH /api/campaigns/:id, POST /api/campaigns/:id/duplicate|archive|restore,
 * POST /api/campaigns/bulk. A campaign becomes active (PATCH, resume) only when it could serve (CampaignRules).
 */
export function registerCampaignRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const customers = new CustomerRepo(ctx.db, cipher);
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const prices = new PriceRepo(ctx.db);
  const zones = new ZoneRepo(ctx.db);
  const creatives = new CreativeRepo(ctx.db);
  const rules = new CampaignRules(ctx.db);
  const find = (id: string | undefined) => findOr404('campaign', id, (i) => campaigns.get(i), 'The campaign');

  /** Every zone in zoneIds must exist; a zone newly linked must not be archived (one linked before may stay). */
  const checkZones = (zoneIds: readonly string[], linkedBefore: readonly string[] = []) => {
    const existing = zones.existing(zoneIds);
    const index = zoneIds.findIndex((id) => !existing.has(id));
    if (index !== -1) throw missingReference('A zone', `zoneIds.${index}`);
    const added = zoneIds.filter((id) => !linkedBefore.includes(id));
    if (zones.archived(added).size > 0) throw archivedError('zone');
  };

  adminRoute(admin, 'GET /api/campaigns', ({ query }) =>
    campaigns.list(
      parseListQuery(query, {
        customerId: idSchema('customer').optional(),
        zoneId: idSchema('zone').optional(),
        status: z.enum(CAMPAIGN_STATUSES).optional(),
        archived: archivedFilterSchema,
      }),
    ),
  );
  adminRoute(admin, 'GET /api/campaigns/:id', ({ params }) => find(params.id));

  /** A campaign's customer must exist and not be restricted before the campaign may change. */
  const assertCampaignCustomerActive = (customerId: string): void => {
    const customer = customers.get(customerId);
    if (!customer) throw notFound('The customer');
    assertCustomerActive(customer);
  };

  adminRoute(admin, 'POST /api/campaigns', async ({ req }, session) => {
    const input = await readJson(req, campaignCreateSchema);
    const customer = customers.get(input.customerId);
    if (!customer) throw missingReference('The customer', 'customerId');
    assertCustomerActive(customer);
    checkZones(input.zoneIds);
    const id = newId('campaign');
    const { customerId, impressionGoal: _, goal: __, price, ...rest } = input;
    const fields: CampaignFields = { ...rest, goal: goalOf(input) ?? null };
    const campaign = commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.create', entity: 'campaign', target: () => id, fields: () => ['customerId', ...EDITABLE, ...(price ? ['price'] : [])], campaign: () => id },
      () => {
        const at = ctx.now().toISOString();
        campaigns.insert(id, customerId, fields, at);
        // The first price applies from the flight's start, so a later dated change (even a backdated one) follows it.
        if (price) prices.insert(id, { ...price, effectiveFrom: fields.startsAt }, session.userId, at);
        return campaigns.get(id)!;
      },
    );
    return reply(201, campaign);
  });

  adminRoute(admin, 'PATCH /api/campaigns/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const patch = await readJson(req, campaignPatchSchema);
    assertCampaignCustomerActive(before.customerId);
    if (before.status === 'archived') throw archivedError('campaign');
    const { impressionGoal: _, goal: __, ...rest } = patch;
    const goal = goalOf(patch);
    const merged: CampaignFields = { ...fieldsOf(before), ...definedOnly(rest), ...(goal !== undefined ? { goal } : {}) };
    if (merged.endsAt <= merged.startsAt) {
      throw new HttpError(400, 'validation_failed', 'Invalid input: endsAt: endsAt must be after startsAt.', [{ path: 'endsAt', message: 'endsAt must be after startsAt.' }]);
    }
    if (patch.zoneIds) checkZones(patch.zoneIds, before.zoneIds);
    if (merged.status === 'active' && before.status !== 'active') rules.assertCanActivate(before.id, merged.zoneIds);
    const sorted = (c: CampaignFields) => ({ ...c, zoneIds: [...c.zoneIds].sort() });
    const fields = changedFields(sorted(fieldsOf(before)), sorted(merged), EDITABLE);
    return commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.update', entity: 'campaign', target: () => before.id, fields: () => fields, campaign: () => before.id },
      () => campaigns.update(before.id, merged, ctx.now().toISOString())!,
    );
  });

  adminRoute(admin, 'GET /api/campaigns/:id/prices', ({ params }) => ({ items: prices.list(find(params.id).id) }));

  adminRoute(admin, 'POST /api/campaigns/:id/prices', async ({ req, params }, session) => {
    const campaign = find(params.id);
    const input = await readJson(req, priceChangeSchema);
    assertCampaignCustomerActive(campaign.customerId);
    const effectiveFrom = input.effectiveFrom ?? ctx.now().toISOString();
    // Any time before the flight's end, past ones included (corrections are audited); a later one would never apply.
    if (effectiveFrom >= campaign.endsAt) {
      const message = 'effectiveFrom must be before the end of the flight.';
      throw new HttpError(400, 'validation_failed', `Invalid input: effectiveFrom: ${message}`, [{ path: 'effectiveFrom', message }]);
    }
    const price = commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.price', entity: 'campaign', target: () => campaign.id, fields: () => ['model', 'amount', 'effectiveFrom'], campaign: () => campaign.id },
      () => {
        const id = prices.insert(campaign.id, { model: input.model, amount: input.amount, effectiveFrom }, session.userId, ctx.now().toISOString());
        return prices.list(campaign.id).find((p) => p.id === id)!;
      },
    );
    return reply(201, price);
  });

  adminRoute(admin, 'POST /api/campaigns/:id/duplicate', async ({ req, params }, session) => {
    const source = find(params.id);
    const input = await readJson(req, campaignDuplicateSchema);
    assertCampaignCustomerActive(source.customerId);
    const id = newId('campaign');
    const archivedZones = zones.archived(source.zoneIds);
    // A draft: nobody has looked at it yet. Counts, statistics and price history stay with the original; the
    // price in effect now applies to the copy from its start. Archived zones and creatives are left behind.
    const fields: CampaignFields = { ...fieldsOf(source), name: input.name ?? `${source.name} (copy)`.slice(0, 200), status: 'draft', zoneIds: source.zoneIds.filter((z) => !archivedZones.has(z)) };
    const copied = creatives.ofCampaign(source.id);
    const campaign = commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.duplicate', entity: 'campaign', target: () => id, fields: () => ['copyOf', ...EDITABLE, ...(source.price ? ['price'] : []), ...(copied.length ? ['creatives'] : [])], campaign: () => id },
      () => {
        const at = ctx.now().toISOString();
        campaigns.insert(id, source.customerId, fields, at);
        if (source.price) prices.insert(id, { model: source.price.model, amount: source.price.amount, effectiveFrom: fields.startsAt }, session.userId, at);
        for (const c of copied) {
          const { id: _, campaignId: __, archivedAt: ___, createdAt: ____, updatedAt: _____, ...rest } = c;
          creatives.insert(newId('creative'), { ...rest, campaignId: id }, at);
        }
        return campaigns.get(id)!;
      },
    );
    ctx.events.emit('data-changed', { what: 'creative', campaignId: id });
    return reply(201, campaign);
  });

  /** Sets a campaign's status as one audited change; `assert` refuses it first. Unchanged status: no write, no entry. */
  const setStatus = (campaign: Campaign, status: Campaign['status'], action: AuditAction, session: Session): Campaign => {
    if (campaign.status === status) return campaign;
    return commitChange(
      ctx,
      { actor: session.userId, action, entity: 'campaign', target: () => campaign.id, fields: () => ['status'], campaign: () => campaign.id },
      () => campaigns.setStatus(campaign.id, status, ctx.now().toISOString())!,
    );
  };

  /** One campaign's bulk (or single) action: the same rules as PATCH, and archived ones only come back by restore. */
  const apply = (campaign: Campaign, action: BulkAction | 'restore', session: Session): Campaign => {
    assertCampaignCustomerActive(campaign.customerId);
    if (action === 'restore') {
      // Back as paused: whoever restores decides separately to let it serve again.
      return campaign.status === 'archived' ? setStatus(campaign, 'paused', 'campaign.restore', session) : campaign;
    }
    if (action === 'archive') return setStatus(campaign, 'archived', 'campaign.archive', session);
    if (campaign.status === 'archived') throw archivedError('campaign');
    if (action === 'pause') return setStatus(campaign, 'paused', 'campaign.pause', session);
    if (campaign.status !== 'active') rules.assertCanActivate(campaign.id);
    return setStatus(campaign, 'active', 'campaign.resume', session);
  };
  const single = (action: 'archive' | 'restore'): AdminHandler => ({ params }, session) => apply(find(params.id), action, session);
  adminRoute(admin, 'POST /api/campaigns/:id/archive', single('archive'));
  adminRoute(admin, 'POST /api/campaigns/:id/restore', single('restore'));

  adminRoute(admin, 'POST /api/campaigns/bulk', async ({ req }, session): Promise<BulkResult> => {
    const input = await readJson(req, campaignBulkSchema);
    const results: BulkOutcome[] = input.ids.map((id) => {
      try {
        const campaign = campaigns.get(id);
        if (!campaign) throw notFound('The campaign');
        return { id, ok: true, status: apply(campaign, input.action, session).status };
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        return { id, ok: false, error: { code: err.code, message: err.message, ...(err.params ? { params: err.params } : {}) } };
      }
    });
    const succeeded = results.filter((r) => r.ok).length;
    return { action: input.action, results, succeeded, failed: results.length - succeeded };
  });
}
