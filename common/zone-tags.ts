import type { Zone } from './schemas/zone';

/** A page passes at most this many keywords to a decision (the delivery's limit). */
export const MAX_TAG_KEYWORDS = 20;
const KEYWORD = /^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u;

/**
 * Keywords typed for a tag ("Sport, news"): lower-cased, deduplicated, in order; what the delivery would refuse
 * is returned apart so the form can say which. Beyond MAX_TAG_KEYWORDS, the rest counts as refused.
 */
export function tagKeywords(raw: string): { keywords: string[]; invalid: string[] } {
  const keywords: string[] = [];
  const invalid: string[] = [];
  for (const part of raw.split(',')) {
    const kw = part.trim().toLowerCase();
    if (kw === '') continue;
    if (!KEYWORD.test(kw) || (keywords.length >= MAX_TAG_KEYWORDS && !keywords.includes(kw))) invalid.push(part.trim());
    else if (!keywords.includes(kw)) keywords.push(kw);
  }
  return { keywords, invalid };
}

/**
 * The ways a publisher embeds a zone (CONTRACT.md), as the console and the customer portal show
 * them to copy: the page tag (`pageScript` once per page, `pageIns` where this zone's ad goes; one
 * batched, lazy request for all placements of the page), the older per-zone JavaScript tag and the
 * iframe document. `iframeTitle` is the frame's accessible name in the reader's language. `keywords` (checked
 * with tagKeywords) go into each: the script's and frame's `?kw=`, the placement's `data-ce-kw`.
 */
export function zoneTags(
  deliveryBaseUrl: string,
  zone: Pick<Zone, 'id' | 'width' | 'height'>,
  iframeTitle: string,
  keywords: readonly string[] = [],
): { js: string; iframe: string; pageScript: string; pageIns: string } {
  const id = encodeURIComponent(zone.id);
  // Keywords are letters, digits and dashes (tagKeywords), so the comma-joined list needs no escaping in an attribute.
  const kw = keywords.join(',');
  const query = kw ? `?kw=${encodeURIComponent(kw).replaceAll('%2C', ',')}` : '';
  const title = iframeTitle.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    js: `<script src="${deliveryBaseUrl}/v1/zone/${id}.js${query}" async></` + `script>`,
    iframe:
      `<iframe src="${deliveryBaseUrl}/v1/zone/${id}/frame${query}" width="${zone.width}" height="${zone.height}" ` +
      `title="${title}" loading="lazy" style="border:0"></iframe>`,
    pageScript: `<script src="${deliveryBaseUrl}/v1/tag.js" async></` + `script>`,
    pageIns: `<ins data-ce-zone="${id}"${kw ? ` data-ce-kw="${kw}"` : ''} style="display:inline-block;width:${zone.width}px;height:${zone.height}px"></ins>`,
  };
}
