import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import { escapeHtml } from './tag-script';
import type { Served } from './delivery-service';

const HEAD =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Advertisement</title>' +
  '<style>html,body{margin:0;padding:0;overflow:hidden;background:transparent}img{display:block;border:0}</style></head><body>';

/** The HTML document for an <iframe> placement: the ad (or nothing) and a 1×1 impression pixel. */
export function framePage(served: Served | null): string {
  if (!served) return `${HEAD}</body></html>`;
  const { candidate: c, token, baseUrl } = served;
  const click = `${baseUrl}/v1/click/${token}`;
  const pixel = `<img src="${escapeHtml(`${baseUrl}/v1/imp/${token}`)}" alt="" width="1" height="1" style="position:absolute;left:-10px;top:-10px">`;
  const ad =
    c.html !== null
      ? c.html.split(CLICK_URL_MACRO).join(escapeHtml(click))
      : `<a href="${escapeHtml(click)}" target="_blank" rel="noopener"><img src="${escapeHtml(c.imageUrl ?? '')}" alt="${escapeHtml(c.alt)}" width="${c.width}" height="${c.height}"></a>`;
  return `${HEAD}${ad}${pixel}</body></html>`;
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
