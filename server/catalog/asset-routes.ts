import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { ASSET_CONTENT_TYPES, ASSET_MAX_BYTES, type Asset, type AssetContentType } from '../../common/schemas/asset';
import { isId } from '../../common/schemas/ids';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readBody } from '../http/body';
import { etagValue } from '../http/header-value';
import { badRequest, HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { AssetCache } from './asset-cache';
import { AssetRepo, type AssetMeta } from './asset-repo';
import { commitChange, findOr404, parseListQuery } from './catalog-support';
import { readImageInfo } from './image-info';
import { newId } from '../store/new-id';

/** Largest image side we accept (2× a 4000 px creative would be silly; this leaves room for retina). */
const MAX_IMAGE_SIDE = 8000;
const TYPE_NAMES: Record<AssetContentType, string> = { 'image/png': 'PNG', 'image/jpeg': 'JPEG', 'image/gif': 'GIF', 'image/webp': 'WebP' };

/** The delivery URL of an asset. */
export const assetUrl = (ctx: AppContext, id: string) => `${ctx.deliveryBaseUrl()}/v1/assets/${id}`;

/** Asset upload and listing on the admin API; serving on the delivery listener at /v1/assets/:id. */
export function registerAssetRoutes(ctx: AppContext, admin: Router<AdminState>, delivery: Router<unknown>): void {
  const assets = new AssetRepo(ctx.db);
  const cache = new AssetCache();
  const toAsset = (a: AssetMeta): Asset => ({
    id: a.id,
    url: assetUrl(ctx, a.id),
    contentType: a.contentType,
    width: a.width,
    height: a.height,
    size: a.size,
    createdAt: a.createdAt,
  });

  adminRoute(admin, 'GET /api/assets', ({ query }) => {
    const page = assets.list(parseListQuery(query, {}));
    return { ...page, items: page.items.map(toAsset) };
  });
  adminRoute(admin, 'GET /api/assets/:id', ({ params }) => toAsset(findOr404('asset', params.id, (i) => assets.get(i), 'The asset')));

  adminRoute(admin, 'POST /api/assets', async ({ req }, session) => {
    const declared = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(ASSET_CONTENT_TYPES as readonly string[]).includes(declared)) {
      throw new HttpError(415, 'unsupported_media_type', 'Upload the image as the raw body with content-type image/png, image/jpeg, image/gif or image/webp.');
    }
    const type = declared as AssetContentType;
    const bytes = await readBody(req, ASSET_MAX_BYTES);
    if (bytes.length === 0) throw badRequest('The upload is empty: send the image file as the request body.');
    const info = readImageInfo(bytes);
    if (!info) throw badRequest(`The body is not a ${TYPE_NAMES[type]} image (its first bytes do not match). Upload the original image file.`);
    if (info.type !== type) throw badRequest(`The body is a ${TYPE_NAMES[info.type]} image, but content-type says ${type}. Send content-type: ${info.type}.`);
    if (info.width > MAX_IMAGE_SIDE || info.height > MAX_IMAGE_SIDE) throw badRequest(`Images are at most ${MAX_IMAGE_SIDE} px wide and high.`);
    const id = newId('asset');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const meta = commitChange(
      ctx,
      { actor: session.userId, action: 'asset.create', entity: 'asset', target: () => id, fields: () => ['contentType', 'width', 'height', 'size'] },
      () => assets.insert({ id, contentType: type, sha256, size: bytes.length, width: info.width, height: info.height, bytes }, ctx.now().toISOString()),
    );
    return reply(201, toAsset(meta));
  });

  /** Sends an asset's bytes with an ETag; `cacheControl` differs between the public and the admin origin. */
  const serveAsset = (req: IncomingMessage, res: ServerResponse, id: string | undefined, cacheControl: string) => {
    let file = isId('asset', id) ? cache.get(id!) : undefined;
    if (!file && isId('asset', id)) {
      file = assets.file(id!) ?? undefined;
      if (file) cache.set(id!, file);
    }
    if (!file) throw notFound('The asset');
    // Both headers come from the stored row: a tampered or damaged row must not make the header throw.
    const etag = etagValue(file.sha256.slice(0, 32));
    const contentType = (ASSET_CONTENT_TYPES as readonly string[]).includes(file.contentType) ? file.contentType : 'application/octet-stream';
    res.setHeader('cache-control', cacheControl);
    if (etag) res.setHeader('etag', etag);
    res.setHeader('x-content-type-options', 'nosniff');
    const known = (req.headers['if-none-match'] ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
    if (etag && (known.includes(etag) || known.includes('*'))) {
      res.statusCode = 304;
      res.end();
      return;
    }
    res.statusCode = 200;
    res.setHeader('content-type', contentType);
    res.setHeader('content-length', file.bytes.length);
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  };

  // Assets never change (a new image gets a new id), so browsers and proxies may keep them for a year.
  delivery.on(['GET', 'HEAD'], '/v1/assets/:id', ({ req, res, params }) => serveAsset(req, res, params.id, 'public, max-age=31536000, immutable'));
  // The console shows saved images from its own origin: its CSP allows no other image source.
  adminRoute(admin, 'GET /api/assets/:id/content', ({ req, res, params }) => serveAsset(req, res, params.id, 'private, max-age=31536000, immutable'));
}
