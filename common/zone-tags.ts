import type { Zone } from './schemas/zone';

/**
 * The two ways a publisher embeds a zone (CONTRACT.md): the JavaScript tag and the iframe
 * document, as the console and the customer portal show them to copy. `iframeTitle` is the
 * frame's accessible name in the reader's language.
 */
export function zoneTags(deliveryBaseUrl: string, zone: Pick<Zone, 'id' | 'width' | 'height'>, iframeTitle: string): { js: string; iframe: string } {
  const id = encodeURIComponent(zone.id);
  const title = iframeTitle.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    js: `<script src="${deliveryBaseUrl}/v1/zone/${id}.js" async></` + `script>`,
    iframe:
      `<iframe src="${deliveryBaseUrl}/v1/zone/${id}/frame" width="${zone.width}" height="${zone.height}" ` +
      `title="${title}" loading="lazy" style="border:0"></iframe>`,
  };
}
