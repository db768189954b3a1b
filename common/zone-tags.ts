import type { Zone } from './schemas/zone';

/**
 * The ways a publisher embeds a zone (CONTRACT.md), as the console and the customer portal show
 * them to copy: the page tag (`pageScript` once per page, `pageIns` where this zone's ad goes; one
 * batched, lazy request for all placements of the page), the older per-zone JavaScript tag and the
 * iframe document. `iframeTitle` is the frame's accessible name in the reader's language.
 */
export function zoneTags(
  deliveryBaseUrl: string,
  zone: Pick<Zone, 'id' | 'width' | 'height'>,
  iframeTitle: string,
): { js: string; iframe: string; pageScript: string; pageIns: string } {
  const id = encodeURIComponent(zone.id);
  const title = iframeTitle.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    js: `<script src="${deliveryBaseUrl}/v1/zone/${id}.js" async></` + `script>`,
    iframe:
      `<iframe src="${deliveryBaseUrl}/v1/zone/${id}/frame" width="${zone.width}" height="${zone.height}" ` +
      `title="${title}" loading="lazy" style="border:0"></iframe>`,
    pageScript: `<script src="${deliveryBaseUrl}/v1/tag.js" async></` + `script>`,
    pageIns: `<ins data-ce-zone="${id}" style="display:inline-block;width:${zone.width}px;height:${zone.height}px"></ins>`,
  };
}
