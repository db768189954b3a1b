import { createHash } from 'node:crypto';
import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import { escapeHtml } from './tag-script';
import { VIEWABILITY_JS } from './viewability-script';
import type { Served } from './delivery-service';

const HEAD =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Advertisement</title>' +
  '<style>html,body{margin:0;padding:0;overflow:hidden;background:transparent}img{display:block;border:0}</style></head><body>';

/**
 * The iframe page's only script, the same for every ad (so one CSP hash allows it): it measures
 * the ad in #ce, fires the impression (with ?m=1 when it can measure) and, once viewable, the view URL.
 */
const FRAME_SCRIPT =
  `(function(){${VIEWABILITY_JS}var e=document.getElementById("ce"),i=e.getAttribute("data-imp");` +
  'new Image().src=i+(ceView(e,e.getAttribute("data-view"))?"?m=1":"")})()';

/** The CSP source ('sha256-…') that allows FRAME_SCRIPT and nothing else. */
export const FRAME_SCRIPT_HASH = `'sha256-${createHash('sha256').update(FRAME_SCRIPT).digest('base64')}'`;

/**
 * The HTML document for an <iframe> placement: the ad (or nothing) in a box of its size, the
 * measuring script that fires the impression, and a 1×1 pixel for browsers without scripts.
 */
export function framePage(served: Served | null): string {
  if (!served) return `${HEAD}</body></html>`;
  const { candidate, token, baseUrl } = served;
  const c = candidate.creative;
  const click = `${baseUrl}/v1/click/${token}`;
  const imp = escapeHtml(`${baseUrl}/v1/imp/${token}`);
  const pixel = `<noscript><img src="${imp}" alt="" width="1" height="1" style="position:absolute;left:-10px;top:-10px"></noscript>`;
  const ad =
    c.html !== null
      ? c.html.split(CLICK_URL_MACRO).join(escapeHtml(click))
      : `<a href="${escapeHtml(click)}" target="_blank" rel="noopener"><img src="${escapeHtml(c.imageUrl ?? '')}" alt="${escapeHtml(c.alt)}" width="${c.width}" height="${c.height}"></a>`;
  const box = `<div id="ce" data-imp="${imp}" data-view="${escapeHtml(`${baseUrl}/v1/view/${token}`)}" style="width:${c.width}px;height:${c.height}px">`;
  return `${HEAD}${box}${ad}</div><script>${FRAME_SCRIPT}</script>${pixel}</body></html>`;
}

/**
 * A creative as its own document for previewing outside delivery (the customer portal): the same
 * markup as the iframe placement, links going straight to the landing page, no impression pixel and
 * no token — a preview counts nothing. Serve it with adFrameCsp, like the placement.
 */
export function previewPage(c: { html: string | null; imageUrl: string | null; alt: string; width: number; height: number; landingUrl: string }): string {
  const ad =
    c.html !== null
      ? c.html.split(CLICK_URL_MACRO).join(escapeHtml(c.landingUrl))
      : `<a href="${escapeHtml(c.landingUrl)}" target="_blank" rel="noopener"><img src="${escapeHtml(c.imageUrl ?? '')}" alt="${escapeHtml(c.alt)}" width="${c.width}" height="${c.height}"></a>`;
  return `${HEAD}${ad}</body></html>`;
}
