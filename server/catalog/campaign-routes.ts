import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { CAMPAIGN_STATUSES, campaignCreateSchema, campaignPatchSchema, type Campaign } from '../../common/schemas/campaign';
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
import { ZoneRepo } from './zone-repo';

const EDITABLE = ['name', 'startsAt', 'endsAt', 'zoneIds', 'status', 'impressionGoal', 'dailyCap', 'priority', 'weight', 'targeting', 'exclusivityGroup', 'visitorDailyCap'] as const;

const fieldsOf = (c: Campaign): CampaignFields => ({
  name: c.name,
  startsAt: c.startsAt,
  endsAt: c.endsAt,
  zoneIds: c.zoneIds,
  status: c.status,
  impressionGoal: c.impressionGoal,
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
  const campaigns = new CampaignRepo(ctx.db);
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

  adminRoute(admin, 'POST /api/campaigns', async ({ req }, session) => {
    const input = await readJson(req, campaignCreateSchema);
    const customer = customers.get(input.customerId);
    if (!customer) throw missingReference('The customer', 'customerId');
    assertCustomerActive(customer);
    checkZones(input.zoneIds);
    const id = newId('campaign');
    const { customerId, ...fields } = input;
    const campaign = commitChange(
      ctx,
      { actor: session.userId, action: 'campaign.create', entity: 'campaign', target: () => id, fields: () => ['customerId', ...EDITABLE] },
      () => campaigns.insert(id, customerId, fields, ctx.now().toISOString()),
    );
    return reply(201, campaign);
  });

  adminRoute(admin, 'PATCH /api/campaigns/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const patch = await readJson(req, campaignPatchSchema);
    const customer = customers.get(before.customerId);
    if (!customer) throw notFound('The customer');
    assertCustomerActive(customer);
    const merged: CampaignFields = { ...fieldsOf(before), ...definedOnly(patch) };
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
}
