import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { CAMPAIGN_STATUSES, campaignCreateSchema, campaignPatchSchema, goalOf, type Campaign } from '../../common/schemas/campaign';
import { priceChangeSchema } from '../../common/schemas/pricing';
import { idSchema } from '../../common/schemas/ids';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import {
  assertCustomerActive,
  changedFields,
  commitChange,
  definedOnly,
  findOr404,
  missingReference,
  parseListQuery,
} from './catalog-support';
import { CampaignRepo, type CampaignFields } from './campaign-repo';
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

/** Campaigns: GET/POST /api/campaigns, GET/PATCH /api/campaigns/:id. */
export function registerCampaignRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const customers = new CustomerRepo(ctx.db, cipher);
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const prices = new PriceRepo(ctx.db);
  const zones = new ZoneRepo(ctx.db);
  const find = (id: string | undefined) => findOr404('campaign', id, (i) => campaigns.get(i), 'The campaign');

  /** Every zone in zoneIds must exist. */
  const checkZones = (zoneIds: readonly string[]) => {
    const existing = zones.existing(zoneIds);
    const index = zoneIds.findIndex((id) => !existing.has(id));
    if (index !== -1) throw missingReference('A zone', `zoneIds.${index}`);
  };

  adminRoute(admin, 'GET /api/campaigns', ({ query }) =>
    campaigns.list(
      parseListQuery(query, {
        customerId: idSchema('customer').optional(),
        zoneId: idSchema('zone').optional(),
        status: z.enum(CAMPAIGN_STATUSES).optional(),
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
      { actor: session.userId, action: 'campaign.create', entity: 'campaign', target: () => id, fields: () => ['customerId', ...EDITABLE, ...(price ? ['price'] : [])] },
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
    const { impressionGoal: _, goal: __, ...rest } = patch;
    const goal = goalOf(patch);
    const merged: CampaignFields = { ...fieldsOf(before), ...definedOnly(rest), ...(goal !== undefined ? { goal } : {}) };
    if (merged.endsAt <= merged.startsAt) {
      throw new HttpError(400, 'validation_failed', 'Invalid input: endsAt: endsAt must be after startsAt.', [{ path: 'endsAt', message: 'endsAt must be after startsAt.' }]);
    }
    if (patch.zoneIds) checkZones(patch.zoneIds);
    const sorted = (c: CampaignFields) => ({ ...c, zoneIds: [...c.zoneIds].sort() });
    const fields = changedFields(sorted(fieldsOf(before)), sorted(merged), EDITABLE);
    return commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.update', entity: 'campaign', target: () => before.id, fields: () => fields },
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
      { actor: session.userId, action: 'campaign.price', entity: 'campaign', target: () => campaign.id, fields: () => ['model', 'amount', 'effectiveFrom'] },
      () => {
        const id = prices.insert(campaign.id, { model: input.model, amount: input.amount, effectiveFrom }, session.userId, ctx.now().toISOString());
        return prices.list(campaign.id).find((p) => p.id === id)!;
      },
    );
    return reply(201, price);
  });
}
