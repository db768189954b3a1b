import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { CREATIVE_STATUSES, creativeCreateSchema, creativePatchSchema, type Creative } from '../../common/schemas/creative';
import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import type { CheckKey, CheckParams } from '../../common/schemas/checks';
import { idSchema, isId } from '../../common/schemas/ids';
import { normaliseLandingUrl } from '../../common/schemas/landing-url';
import { archivedFilterSchema } from '../../common/schemas/lifecycle';
import { adminRoute, type AdminHandler, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { AssetRepo } from './asset-repo';
import { assetUrl } from './asset-routes';
import { CampaignRepo } from './campaign-repo';
import {
  archivedError,
  assertCustomerActive,
  changedFields,
  commitChange,
  definedOnly,
  findOr404,
  missingReference,
  parseListQuery,
  sizeLabel,
} from './catalog-support';
import { CampaignRules } from './campaign-rules';
import { CreativeRepo, type StoredCreative } from './creative-repo';
import { CustomerRepo } from '../privacy/customer-repo';
import { findHtmlCreativeProblem } from './html-creative-policy';
import { newId } from '../store/new-id';

/** HTML creatives may be up to 64 KiB; JSON escaping can make the body several times larger. */
const CREATIVE_BODY_LIMIT = 512 * 1024;
const THIRD_PARTY_IMAGE = 'Images must be uploaded (POST /api/assets) so ads load nothing from third parties.';

/** A 400 on one field, shown by the console next to it. */
/** A refused field, with the key of the console's own text for it (common/schemas/checks.ts). */
const fieldError = (path: string, message: string, key: CheckKey, params: CheckParams = {}) =>
  new HttpError(400, 'validation_failed', message, [{ path, message, code: 'custom', params: { ...params, key } }]);

/**
 * Creatives: GET/POST /api/creatives, GET/PATCH /api/creatives/:id, POST /api/creatives/:id/archive|restore.
 * A creative must fit one of its campaign's zones; its size never changes, a replaced image has the same size.
 */
export function registerCreativeRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const creatives = new CreativeRepo(ctx.db);
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const customers = new CustomerRepo(ctx.db, cipher);
  const assets = new AssetRepo(ctx.db);
  const rules = new CampaignRules(ctx.db);
  const toCreative = (c: StoredCreative): Creative => ({ ...c, imageUrl: c.assetId ? assetUrl(ctx, c.assetId) : null });
  const find = (id: string | undefined) => findOr404('creative', id, (i) => creatives.get(i), 'The creative');

  /** Refuses changes under a restricted customer. */
  const assertCampaignOwnerActive = (campaignId: string) => {
    const campaign = campaigns.get(campaignId);
    const customer = campaign && customers.get(campaign.customerId);
    if (!customer) throw notFound('The campaign');
    assertCustomerActive(customer);
  };

  /** Accepts only our own delivery URL of an existing asset and returns that asset's id. */
  const assetIdFromUrl = (imageUrl: string): string => {
    let url: URL;
    let base: URL;
    try {
      url = new URL(imageUrl);
      base = new URL(ctx.deliveryBaseUrl());
    } catch {
      throw badRequest(THIRD_PARTY_IMAGE);
    }
    if (url.origin !== base.origin) throw badRequest(THIRD_PARTY_IMAGE);
    const prefix = `${base.pathname.replace(/\/$/, '')}/v1/assets/`;
    const id = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : '';
    if (!isId('asset', id) || url.search || url.hash) throw badRequest(`${THIRD_PARTY_IMAGE} Use the url an upload returned.`);
    if (!assets.get(id)) throw missingReference('The asset', 'imageUrl');
    return id;
  };

  adminRoute(admin, 'GET /api/creatives', ({ query }) => {
    const page = creatives.list(parseListQuery(query, { campaignId: idSchema('campaign').optional(), status: z.enum(CREATIVE_STATUSES).optional(), archived: archivedFilterSchema }));
    return { ...page, items: page.items.map(toCreative) };
  });
  adminRoute(admin, 'GET /api/creatives/:id', ({ params }) => toCreative(find(params.id)));

  adminRoute(admin, 'POST /api/creatives', async ({ req }, session) => {
    const input = await readJson(req, creativeCreateSchema, CREATIVE_BODY_LIMIT);
    const campaign = campaigns.get(input.campaignId);
    if (!campaign) throw missingReference('The campaign', 'campaignId');
    assertCampaignOwnerActive(campaign.id);
    if (campaign.status === 'archived') throw archivedError('campaign');
    rules.assertCreativeFits(campaign.id, input.width, input.height);
    let assetId: string | null = null;
    if (input.imageUrl !== undefined) assetId = assetIdFromUrl(input.imageUrl);
    if (input.assetId !== undefined) {
      if (!assets.get(input.assetId)) throw missingReference('The asset', 'assetId');
      assetId = input.assetId;
    }
    if (input.html !== undefined) {
      const found = findHtmlCreativeProblem(input.html, new URL(ctx.deliveryBaseUrl()).origin);
      if (found) {
        throw fieldError(
          'html',
          `HTML creatives may use only the allowed elements, attributes and CSS and load nothing from other servers, but this one has ${found.phrase}. ` +
            `Upload images with POST /api/assets and use their URLs; link with href="${CLICK_URL_MACRO}".`,
          'htmlUnsafe',
          { click: CLICK_URL_MACRO, ...(found.element !== undefined ? { element: found.element } : {}), ...(found.attribute !== undefined ? { attribute: found.attribute } : {}) },
        );
      }
    }
    const id = newId('creative');
    const fields = ['campaignId', 'name', 'width', 'height', input.html !== undefined ? 'html' : 'assetId', 'landingUrl', 'alt', 'status'];
    const stored = commitChange(
      ctx,
      { actor: session.userId, action: 'creative.create', entity: 'creative', target: () => id, fields: () => fields, campaign: () => input.campaignId },
      () =>
        creatives.insert(
          id,
          {
            campaignId: input.campaignId,
            name: input.name,
            width: input.width,
            height: input.height,
            assetId,
            html: input.html ?? null,
            landingUrl: input.landingUrl,
            alt: input.alt,
            status: input.status,
          },
          ctx.now().toISOString(),
        ),
    );
    return reply(201, toCreative(stored));
  });

  adminRoute(admin, 'PATCH /api/creatives/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const patch = await readJson(req, creativePatchSchema);
    assertCampaignOwnerActive(before.campaignId);
    if (before.archivedAt) throw archivedError('creative');
    if (campaigns.get(before.campaignId)?.status === 'archived') throw archivedError('campaign');
    if (patch.assetId !== undefined && patch.assetId !== before.assetId) {
      if (before.html !== null || before.assetId === null) {
        throw new HttpError(409, 'creative_not_image', 'Only an image creative can get a new image; an HTML creative keeps its content.');
      }
      const asset = assets.get(patch.assetId);
      if (!asset) throw missingReference('The image', 'assetId');
      // The size was checked against the zones and booked; a different one would not fit where it serves.
      if (asset.width !== before.width || asset.height !== before.height) {
        const assetSize = sizeLabel(asset.width, asset.height);
        const creativeSize = sizeLabel(before.width, before.height);
        const message = `The new image is ${assetSize}, but this creative is ${creativeSize}: upload an image of the same size.`;
        throw new HttpError(409, 'asset_size_mismatch', message, [{ path: 'assetId', message }], undefined, { assetSize, creativeSize });
      }
    }
    const merged: StoredCreative = { ...before, ...definedOnly(patch) };
    // A creative paused by migration 032 for a landing URL no browser could follow resumes only with a usable one.
    const landing = normaliseLandingUrl(merged.landingUrl);
    if (merged.status === 'active' && !landing.ok) {
      throw fieldError('landingUrl', `The saved landing URL cannot be used (${landing.message}) Send a corrected landingUrl to resume this creative.`, landing.key, landing.params);
    }
    const fields = changedFields(before, merged, ['name', 'status', 'alt', 'landingUrl', 'assetId']);
    const stored = commitChange(
      ctx,
      { actor: session.userId, action: 'creative.update', entity: 'creative', target: () => before.id, fields: () => fields, campaign: () => before.campaignId },
      () => creatives.update(before.id, merged, ctx.now().toISOString())!,
    );
    return toCreative(stored);
  });

  // Archiving is a state, not a deletion: statistics keep naming the creative. Restoring keeps its status as it was.
  const setArchived = (archive: boolean): AdminHandler => ({ params }, session) => {
    const before = find(params.id);
    assertCampaignOwnerActive(before.campaignId);
    if ((before.archivedAt !== null) === archive) return toCreative(before);
    if (!archive) {
      const campaign = campaigns.get(before.campaignId);
      if (campaign?.status === 'archived') throw archivedError('campaign');
      // The zones may have changed while it was archived.
      rules.assertCreativeFits(before.campaignId, before.width, before.height);
    }
    const stored = commitChange(
      ctx,
      { actor: session.userId, action: archive ? 'creative.archive' : 'creative.restore', entity: 'creative', target: () => before.id, fields: () => ['archivedAt'], campaign: () => before.campaignId },
      () => creatives.setArchived(before.id, archive ? ctx.now().toISOString() : null, ctx.now().toISOString())!,
    );
    return toCreative(stored);
  };
  adminRoute(admin, 'POST /api/creatives/:id/archive', setArchived(true));
  adminRoute(admin, 'POST /api/creatives/:id/restore', setArchived(false));
}
