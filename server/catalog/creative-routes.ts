import type { FieldCipher } from '../privacy/field-cipher';
import { z } from 'zod';
import { CREATIVE_STATUSES, creativeCreateSchema, creativePatchSchema, type Creative } from '../../common/schemas/creative';
import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import { idSchema, isId } from '../../common/schemas/ids';
import { normaliseLandingUrl } from '../../common/schemas/landing-url';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { badRequest, HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { AssetRepo } from './asset-repo';
import { assetUrl } from './asset-routes';
import { CampaignRepo } from './campaign-repo';
import {
  assertCustomerActive,
  changedFields,
  commitChange,
  definedOnly,
  findOr404,
  missingReference,
  parseListQuery,
} from './catalog-support';
import { CreativeRepo, type StoredCreative } from './creative-repo';
import { CustomerRepo } from '../privacy/customer-repo';
import { findHtmlCreativeProblem } from './html-creative-policy';
import { newId } from '../store/new-id';

/** HTML creatives may be up to 64 KiB; JSON escaping can make the body several times larger. */
const CREATIVE_BODY_LIMIT = 512 * 1024;
const THIRD_PARTY_IMAGE = 'Images must be uploaded (POST /api/assets) so ads load nothing from third parties.';

/** A 400 on one field, shown by the console next to it. */
const fieldError = (path: string, message: string) => new HttpError(400, 'validation_failed', message, [{ path, message }]);

/** Creatives: GET/POST /api/creatives, GET/PATCH /api/creatives/:id. */
export function registerCreativeRoutes(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher): void {
  const creatives = new CreativeRepo(ctx.db);
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const customers = new CustomerRepo(ctx.db, cipher);
  const assets = new AssetRepo(ctx.db);
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
    const page = creatives.list(parseListQuery(query, { campaignId: idSchema('campaign').optional(), status: z.enum(CREATIVE_STATUSES).optional() }));
    return { ...page, items: page.items.map(toCreative) };
  });
  adminRoute(admin, 'GET /api/creatives/:id', ({ params }) => toCreative(find(params.id)));

  adminRoute(admin, 'POST /api/creatives', async ({ req }, session) => {
    const input = await readJson(req, creativeCreateSchema, CREATIVE_BODY_LIMIT);
    const campaign = campaigns.get(input.campaignId);
    if (!campaign) throw missingReference('The campaign', 'campaignId');
    assertCampaignOwnerActive(campaign.id);
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
          `HTML creatives may use only the allowed elements, attributes and CSS and load nothing from other servers, but this one has ${found}. ` +
            `Upload images with POST /api/assets and use their URLs; link with href="${CLICK_URL_MACRO}".`,
        );
      }
    }
    const id = newId('creative');
    const fields = ['campaignId', 'name', 'width', 'height', input.html !== undefined ? 'html' : 'assetId', 'landingUrl', 'alt', 'status'];
    const stored = commitChange(
      ctx,
      { actor: session.userId, action: 'creative.create', entity: 'creative', target: () => id, fields: () => fields },
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
    const merged: StoredCreative = { ...before, ...definedOnly(patch) };
    // A creative paused by migration 032 for a landing URL no browser could follow resumes only with a usable one.
    const landing = normaliseLandingUrl(merged.landingUrl);
    if (merged.status === 'active' && !landing.ok) {
      throw fieldError('landingUrl', `The saved landing URL cannot be used (${landing.message}) Send a corrected landingUrl to resume this creative.`);
    }
    const fields = changedFields(before, merged, ['name', 'status', 'alt', 'landingUrl']);
    const stored = commitChange(
      ctx,
      { actor: session.userId, action: 'creative.update', entity: 'creative', target: () => before.id, fields: () => fields },
      () => creatives.update(before.id, merged, ctx.now().toISOString())!,
    );
    return toCreative(stored);
  });
}
