import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../app-context';
import { asciiOrigin, firstHeader, isSafeHeaderValue, locationValue } from '../http/header-value';
import { createClientIpResolver } from '../http/client-ip';
import { HttpError } from '../http/http-error';
import { ownHeaders, reply, sendHeaderBlock, type ListenerResponse } from '../http/listener';
import { deliveryHeaderBlock } from '../http/security-headers';
import type { Router } from '../http/router';
import { DECISIONS_BODY_LIMIT, decisionsRequestSchema } from '../../common/schemas/decisions';
import { readJson } from '../http/body';
import { DECISION_HEADERS, parseKeywordList, parseKeywords, type DeliveryService, type Served } from './delivery-service';
import { FRAME_SCRIPT_HASH, framePage } from './frame-page';
import { adFrameCsp } from '../../common/csp';
import { tagScript } from './tag-script';
import { pageTagScript } from './page-tag-script';

/** The 43-byte transparent 1×1 GIF answered by the impression pixel. */
export const TRANSPARENT_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_STORE = 'no-store';
const VIEW_HEADERS: Readonly<Record<string, string>> = { 'cache-control': NO_STORE, 'access-control-allow-origin': '*' };
/** Tags change only with the zone id and base URL; a short cache spares publishers' visitors a round trip. */
const TAG_CACHE = 'public, max-age=300';

/** Writes a complete response with its length (the access log takes bytes sent from it). */
function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers?: Readonly<Record<string, string>>, bytes?: number): void {
  res.statusCode = status;
  if (headers) for (const k in headers) res.setHeader(k, headers[k]!);
  res.setHeader('content-type', type);
  res.setHeader('content-length', bytes ?? (typeof body === 'string' ? Buffer.byteLength(body) : body.length));
  res.end(body);
}

/**
 * A complete header list for sendHeaderBlock: the delivery listener's own headers, `headers`, the
 * content type (when there is a body) and a content-length slot last.
 */
function headerBlock(tls: boolean, headers: Readonly<Record<string, string>>, type?: string): Array<string | number> {
  const block: Array<string | number> = deliveryHeaderBlock(tls);
  for (const k in headers) block.push(k, headers[k]!);
  if (type !== undefined) block.push('content-type', type);
  block.push('content-length', 0);
  return block;
}

/** One decision's answer: 204 without an ad, else its JSON (module level: no closure per request). */
function sendDecision(res: ServerResponse, served: Served | null, none: Array<string | number>, block: Array<string | number>): void {
  if (!served) {
    (res as ListenerResponse).sentLength = 0;
    res.writeHead(204, none);
    res.end();
    return;
  }
  const { body, bytes } = decisionJson(served);
  sendHeaderBlock(res, 200, block, body, bytes);
}

/** A page's answer (200 even when no placement is filled). */
function sendPageAnswer(res: ServerResponse, zoneIds: readonly string[], served: ReadonlyArray<Served | null>, block: Array<string | number>): void {
  const { body, bytes } = pageJson(zoneIds, served);
  sendHeaderBlock(res, 200, block, body, bytes);
}

/** Base URLs made of these characters need no JSON escaping and are one byte per character. */
const PLAIN_URL = /^[A-Za-z0-9:/.[\]_%-]*$/;
let lastBase = '';
let lastBasePlain = false;
const isPlainBase = (base: string) => {
  if (base !== lastBase) {
    lastBase = base;
    lastBasePlain = PLAIN_URL.test(base);
  }
  return lastBasePlain;
};

/**
 * The decision as JSON and its length in bytes, assembled from precomputed parts (the creative's
 * JSON is built with the index); tokens are base64url, so only the base URL could need escaping.
 */
export function decisionJson(s: Served): { body: string; bytes: number } {
  const plain = isPlainBase(s.baseUrl);
  const click = `${s.baseUrl}/v1/click/${s.token}`;
  const imp = `${s.baseUrl}/v1/imp/${s.token}`;
  const parts = s.candidate.creative.parts;
  const creative = parts.length === 1 ? parts[0] : parts.join(click);
  // campaignId lets the page tag exclude campaigns already on the page from its later batches (ids are checked: no escaping).
  const body = plain
    ? `{"decisionId":"${s.decisionId}","campaignId":"${s.candidate.rule.id}","creative":${creative},"impressionUrl":"${imp}","clickUrl":"${click}","viewUrl":"${s.baseUrl}/v1/view/${s.token}"}`
    : `{"decisionId":"${s.decisionId}","campaignId":"${s.candidate.rule.id}","creative":${creative},"impressionUrl":${JSON.stringify(imp)},"clickUrl":${JSON.stringify(click)},"viewUrl":${JSON.stringify(`${s.baseUrl}/v1/view/${s.token}`)}}`;
  return { body, bytes: plain ? body.length + s.candidate.creative.extraBytes : Buffer.byteLength(body) };
}

/** An HttpError with the CORS headers of POST /v1/decisions added (publishers' scripts read errors too); anything else as it is. */
const withCors = (err: unknown): unknown =>
  err instanceof HttpError ? new HttpError(err.status, err.code, err.message, err.details, { ...err.headers, ...DECISIONS_CORS }, err.params) : err;

/** Headers of POST /v1/decisions and its preflight: JSON from any origin, without cookies. */
const DECISIONS_CORS: Readonly<Record<string, string>> = {
  ...DECISION_HEADERS,
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
};

/** A page's answer: `{placements:[{zone, decision}]}` in request order, each decision as decisionJson writes it, or null. */
export function pageJson(zoneIds: readonly string[], served: ReadonlyArray<Served | null>): { body: string; bytes: number } {
  let body = '{"placements":[';
  let extra = 0;
  for (let i = 0; i < served.length; i++) {
    const s = served[i];
    // Zone ids were checked (zon_ + base32): no escaping needed.
    body += `${i === 0 ? '' : ','}{"zone":"${zoneIds[i]}","decision":`;
    if (s) {
      const d = decisionJson(s);
      body += d.body;
      extra += d.bytes - d.body.length;
    } else body += 'null';
    body += '}';
  }
  body += ']}';
  return { body, bytes: body.length + extra };
}

/** GET /v1/decision (one zone or a page), POST /v1/decisions, /v1/tag.js, /v1/zone/ID.js, /v1/zone/ID/frame, /v1/imp/TOKEN, /v1/view/TOKEN and /v1/click/TOKEN. */
export function registerDeliveryRoutes(ctx: AppContext, delivery: Router<unknown>, service: DeliveryService): void {
  // Behind --trust-proxy the client is the forwarded address; it goes to the country lookup and the
  // keyed visitor hash of reach and per-visitor caps, and nowhere else.
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  // The hot routes write all their headers in one writeHead from these precomputed lists (ownHeaders).
  const tls = ctx.config.tls;
  const DECISION_BLOCK = headerBlock(tls, DECISION_HEADERS, JSON_TYPE);
  const NO_DECISION_BLOCK = [...deliveryHeaderBlock(tls), ...Object.entries(DECISION_HEADERS).flat()];
  const DECISIONS_BLOCK = headerBlock(tls, DECISIONS_CORS, JSON_TYPE);
  const PIXEL_BLOCK = headerBlock(tls, { 'cache-control': NO_STORE }, 'image/gif');
  const VIEW_BLOCK = headerBlock(tls, VIEW_HEADERS, 'image/gif');
  const CLICK_BLOCK = headerBlock(tls, { location: '', 'cache-control': NO_STORE });
  const CLICK_LOCATION = CLICK_BLOCK.indexOf('location') + 1;

  /** Decides a page and writes its answer (200 even when no placement is filled). */
  const sendPage = (req: IncomingMessage, res: ServerResponse, zoneIds: string[], keywords: Array<readonly string[] | null>, exclusions: Parameters<DeliveryService['servePage']>[1], block: Array<string | number>) => {
    const base = ctx.deliveryBaseUrl();
    const zones = service.pageZones(zoneIds, base);
    const served = service.servePage(zones.map((zone, i) => ({ zone, keywords: keywords[i] ?? null })), exclusions, req.headers['user-agent'], base, clientIp(req));
    // A worker's page with a capped zone is decided in the primary: answered once that arrives.
    if (served instanceof Promise) return served.then((s) => sendPageAnswer(res, zoneIds, s, block));
    sendPageAnswer(res, zoneIds, served, block);
  };

  delivery.get('/v1/decision', ownHeaders(({ req, res, query }) => {
    const base = ctx.deliveryBaseUrl();
    const zoneId = query.get('zone');
    if (zoneId === null) {
      const zones = query.get('zones');
      if (zones !== null) {
        const keywords = parseKeywords(query.get('kw'));
        const ids = zones === '' ? [] : zones.split(',');
        return sendPage(req, res, ids, ids.map(() => keywords), undefined, DECISION_BLOCK);
      }
    } else if (query.has('zones')) {
      throw new HttpError(400, 'bad_request', 'Pass either zone= (one placement) or zones= (a page), not both.', undefined, DECISION_HEADERS);
    }
    const zone = service.zone(zoneId, base);
    // The user agent straight from the raw headers: building req.headers costs more than the lookup.
    const served = service.serve(zone, parseKeywords(query.get('kw')), firstHeader(req, 'user-agent'), base, clientIp(req));
    // A worker's capped zone is decided in the primary: answered once that arrives.
    if (served instanceof Promise) return served.then((s) => sendDecision(res, s, NO_DECISION_BLOCK, DECISION_BLOCK));
    sendDecision(res, served, NO_DECISION_BLOCK, DECISION_BLOCK);
  }));

  delivery.on('OPTIONS', '/v1/decisions', () => reply(204, undefined, DECISIONS_CORS));

  delivery.post('/v1/decisions', ownHeaders(async ({ req, res }) => {
    try {
      const input = await readJson(req, decisionsRequestSchema, DECISIONS_BODY_LIMIT);
      const keywords = input.placements.map((p) => (p.kw ? parseKeywordList(p.kw) : null));
      await sendPage(req, res, input.placements.map((p) => p.zone), keywords, input.exclusions, DECISIONS_BLOCK);
    } catch (err) {
      throw withCors(err);
    }
  }));

  // The page tag depends on the base URL alone: built once per base URL, not per request.
  let pageTag = { base: '', script: '' };
  delivery.get('/v1/tag.js', ({ res }) => {
    const base = ctx.deliveryBaseUrl();
    if (pageTag.base !== base || pageTag.script === '') pageTag = { base, script: pageTagScript(base) };
    send(res, 200, 'text/javascript; charset=utf-8', pageTag.script, { 'cache-control': TAG_CACHE });
  });

  // One parameter name for both forms: find-my-way keeps '/v1/zone/:id' (".js") and '/v1/zone/:id/frame' apart.
  delivery.get('/v1/zone/:id', ({ res, params, query }) => {
    const file = params.id ?? '';
    if (!file.endsWith('.js')) throw new HttpError(404, 'not_found', 'Use /v1/zone/ID.js for the script tag or /v1/zone/ID/frame for an iframe.');
    const base = ctx.deliveryBaseUrl();
    const zone = service.zone(file.slice(0, -3), base);
    send(res, 200, 'text/javascript; charset=utf-8', tagScript(base, zone.id, parseKeywords(query.get('kw'))), { 'cache-control': TAG_CACHE });
  });

  delivery.get('/v1/zone/:id/frame', ({ req, res, params, query }) => {
    const base = ctx.deliveryBaseUrl();
    const zone = service.zone(params.id, base);
    // The CSP is a header: the configured base URL goes in as its ASCII origin (an IDN host in punycode).
    const csp = adFrameCsp(asciiOrigin(base) ?? "'self'", FRAME_SCRIPT_HASH);
    const served = service.serve(zone, parseKeywords(query.get('kw')), req.headers['user-agent'], base, clientIp(req));
    const answer = (x: Served | null) => send(res, 200, 'text/html; charset=utf-8', framePage(x), { 'cache-control': NO_STORE, 'content-security-policy': csp });
    if (served instanceof Promise) return served.then(answer);
    answer(served);
  });

  delivery.get('/v1/imp/:token', ownHeaders(({ req, res, params, query }) => {
    // Measuring tags add ?m=1; the query is parsed only when there is one (the pixel stays cheap).
    const measurable = req.url!.includes('?') && query.get('m') === '1';
    // The address and user agent feed reach only (hashed with the daily key, then dropped).
    if (ctx.config.reach) service.impression(params.token ?? '', ctx.deliveryBaseUrl(), measurable, clientIp(req), req.headers['user-agent']);
    else service.impression(params.token ?? '', ctx.deliveryBaseUrl(), measurable);
    sendHeaderBlock(res, 200, PIXEL_BLOCK, TRANSPARENT_GIF, TRANSPARENT_GIF.length);
  }));

  // The view beacon answers the same GIF as the pixel, so tags (and the iframe page, whose CSP allows
  // images but no fetch) can fire it as an image; readable from any origin, never cached, no cookie.
  delivery.get('/v1/view/:token', ownHeaders(({ res, params }) => {
    service.view(params.token ?? '', ctx.deliveryBaseUrl());
    sendHeaderBlock(res, 200, VIEW_BLOCK, TRANSPARENT_GIF, TRANSPARENT_GIF.length);
  }));

  delivery.get('/v1/click/:token', ownHeaders(({ res, params }) => {
    const landing = service.click(params.token ?? '', ctx.deliveryBaseUrl());
    // The zone index holds only normalised URLs (zone-snapshot.ts); a cheap check keeps setHeader from
    // ever failing without parsing the URL again on every click.
    const location = isSafeHeaderValue(landing) ? landing : locationValue(landing);
    if (!location) throw new HttpError(404, 'not_found', 'This ad has no usable landing page.');
    CLICK_BLOCK[CLICK_LOCATION] = location;
    sendHeaderBlock(res, 302, CLICK_BLOCK, '', 0);
  }));
}
