/**
 * Limits of HTML creatives that the console can check while typing. What an HTML creative may
 * contain (elements, attributes, CSS, where it may load from) is checked on the server against an
 * allow-list with real HTML and CSS parsers (server/catalog/html-creative-policy.ts), which would
 * be too heavy for the console's bundle; the sandboxed iframe and its CSP are the second line.
 */

/** Largest HTML creative, in UTF-8 bytes. */
export const HTML_CREATIVE_MAX_BYTES = 64 * 1024;

/** Marker an HTML creative uses as a link's href; replaced by the counted click URL of each decision. */
export const CLICK_URL_MACRO = '%%CLICK_URL%%';

/** UTF-8 length of a string without TextEncoder (common/ runs everywhere). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}
