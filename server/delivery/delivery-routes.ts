import type { ServerResponse } from 'node:http';
import type { AppContext } from '../app-context';
import { asciiOrigin, isSafeHeaderValue, locationValue } from '../http/header-value';
import { createClientIpResolver } from '../http/client-ip';
import { HttpError } from '../http/http-error';
import type { Router } from '../http/router';
import { DECISION_HEADERS, parseKeywords, type DeliveryService, type Served } from './delivery-service';
import { framePage } from './frame-page';
import { adFrameCsp } from '../../common/csp';
import { tagScript } from './tag-script';

/** The 43-byte transparent 1×1 GIF answered by the impression pixel. */
export const TRANSPARENT_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_STORE = 'no-store';
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
  const parts = s.candidate.jsonParts;
  const creative = parts.length === 1 ? parts[0] : parts.join(click);
  const body = plain
    ? `{"decisionId":"${s.decisionId}","creative":${creative},"impressionUrl":"${imp}","clickUrl":"${click}"}`
    : `{"decisionId":"${s.decisionId}","creative":${creative},"impressionUrl":${JSON.stringify(imp)},"clickUrl":${JSON.stringify(click)}}`;
  return { body, bytes: plain ? body.length + s.candidate.jsonExtraBytes : Buffer.byteLength(body) };
}

/** GET /v1/decision, /v1/zone/ID.js, /v1/zone/ID/frame, /v1/imp/TOKEN and /v1/click/TOKEN. */
export function registerDeliveryRoutes(ctx: AppContext, delivery: Router<unknown>, service: DeliveryService): void {
  // Behind --trust-proxy the client is the forwarded address; it goes to the country lookup and nowhere else.
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  delivery.get('/v1/decision', ({ req, res, query }) => {
    const base = ctx.deliveryBaseUrl();
    const zone = service.zone(query.get('zone'), base);
    const served = service.serve(zone, parseKeywords(query.get('kw')), req.headers['user-agent'], base, clientIp(req));
    if (!served) {
      res.writeHead(204, DECISION_HEADERS);
      res.end();
      return;
    }
    const { body, bytes } = decisionJson(served);
    send(res, 200, JSON_TYPE, body, DECISION_HEADERS, bytes);
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
    const served = service.serve(zone, parseKeywords(query.get('kw')), req.headers['user-agent'], base, clientIp(req));
    // The CSP is a header: the configured base URL goes in as its ASCII origin (an IDN host in punycode).
    const csp = adFrameCsp(asciiOrigin(base) ?? "'self'");
    send(res, 200, 'text/html; charset=utf-8', framePage(served), { 'cache-control': NO_STORE, 'content-security-policy': csp });
  });

  delivery.get('/v1/imp/:token', ({ res, params }) => {
    service.impression(params.token ?? '', ctx.deliveryBaseUrl());
    send(res, 200, 'image/gif', TRANSPARENT_GIF, { 'cache-control': NO_STORE });
  });

  delivery.get('/v1/click/:token', ({ res, params }) => {
    const landing = service.click(params.token ?? '', ctx.deliveryBaseUrl());
    // The zone index holds only normalised URLs (zone-snapshot.ts); a cheap check keeps setHeader from
    // ever failing without parsing the URL again on every click.
    const location = isSafeHeaderValue(landing) ? landing : locationValue(landing);
    if (!location) throw new HttpError(404, 'not_found', 'This ad has no usable landing page.');
    res.statusCode = 302;
    res.setHeader('location', location);
    res.setHeader('cache-control', NO_STORE);
    res.setHeader('content-length', 0);
    res.end();
  });
}
