/**
 * Checks that an HTML creative references no third-party resource. HTML creatives are rendered in a
 * sandboxed iframe under a strict CSP as well; this check refuses bad markup at the door so that
 * staff learn about it when they save, not when the ad stays blank.
 */

/** Largest HTML creative, in UTF-8 bytes. */
export const HTML_CREATIVE_MAX_BYTES = 64 * 1024;

/** Attributes whose value the browser loads or navigates to. */
const URL_ATTRIBUTES = new Set([
  'src', 'href', 'srcset', 'imagesrcset', 'action', 'formaction', 'poster', 'data', 'background', 'xlink:href',
  'cite', 'longdesc', 'manifest', 'ping', 'codebase', 'archive', 'lowsrc', 'dynsrc', 'icon', 'profile', 'usemap',
]);
const SRCSET_ATTRIBUTES = new Set(['srcset', 'imagesrcset']);
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', quot: '"', apos: "'", lt: '<', gt: '>', colon: ':', sol: '/', bsol: '\\', lpar: '(', rpar: ')',
  newline: '\n', tab: '\t', period: '.', nbsp: ' ',
};

/** UTF-8 length of a string without TextEncoder (common/ runs everywhere). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Whether one reference (attribute value, url() argument) would load something from elsewhere. */
function isExternal(raw: string, allowedOrigin: string | undefined): boolean {
  // Browsers ignore tabs, newlines and leading control characters inside URLs.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  const v = decodeEntities(raw).replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
  if (v === '' || v.startsWith('#')) return false;
  if (/^[/\\]{2}/.test(v)) return true; // protocol-relative: //host/…
  if (/^[a-z][a-z0-9+.-]*:/.test(v)) {
    if (allowedOrigin && (v === allowedOrigin || v.startsWith(`${allowedOrigin}/`))) return false;
    if (/^data:image\/(png|jpeg|gif|webp)[;,]/.test(v)) return false;
    return true; // http:, https:, javascript:, data:text/html and every other scheme
  }
  return false; // relative to the delivery listener
}

/**
 * Returns a short description of the first external reference in `html` (e.g. "a src attribute"),
 * or null when there is none. `allowedOrigin` (the delivery listener's origin) is first-party.
 */
export function findExternalReference(html: string, allowedOrigin?: string): string | null {
  const origin = allowedOrigin?.replace(/\/+$/, '').toLowerCase();
  if (/<base[\s/>]/i.test(html)) return 'a <base> element';
  if (/<meta[^>]*http-equiv\s*=\s*["']?\s*refresh/i.test(html)) return 'a meta refresh';
  const attribute = /([a-z][a-z0-9:_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
  for (const m of html.matchAll(attribute)) {
    const name = m[1]!.toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (name === 'style') {
      const found = findInCss(decodeEntities(value), origin);
      if (found) return `a CSS ${found} in a style attribute`;
    }
    if (!URL_ATTRIBUTES.has(name)) continue;
    const candidates = SRCSET_ATTRIBUTES.has(name) ? value.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [value];
    if (candidates.some((c) => isExternal(c, origin))) return `a ${name} attribute`;
  }
  const decoded = decodeEntities(html);
  const css = findInCss(decoded, origin);
  if (css) return `a CSS ${css}`;
  // Anything else that names a third-party http(s) URL (scripts, inline handlers).
  for (const m of decoded.matchAll(/https?:\s*[/\\]{2}[^\s"'<>()]*/gi)) {
    if (isExternal(m[0], origin)) return 'an absolute http(s) URL';
  }
  return null;
}

function findInCss(css: string, origin: string | undefined): string | null {
  for (const m of css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*))\s*\)/gi)) {
    if (isExternal(m[1] ?? m[2] ?? m[3] ?? '', origin)) return 'url()';
  }
  for (const m of css.matchAll(/@import\s+(?:"([^"]*)"|'([^']*)')/gi)) {
    if (isExternal(m[1] ?? m[2] ?? '', origin)) return '@import';
  }
  return null;
}
