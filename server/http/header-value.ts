import type { IncomingMessage } from 'node:http';
/**
 * Header values built from stored or user data. Node throws (ERR_INVALID_CHAR) on characters
 * outside Latin-1 and passes Latin-1 through as raw bytes that clients read differently, so a
 * value from data is either brought into printable ASCII here or not sent at all.
 */

import { httpOriginOf } from '../../node/http-origin';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** RFC 9110 entity-tag characters (no quote, no space). */
const ETAG_CHARS = /^[\x21\x23-\x7e]+$/;
/** Lone UTF-16 surrogates: encodeURIComponent throws on them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Whether a header value is printable ASCII, which every client reads alike and Node never refuses. */
export function isSafeHeaderValue(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}

/** The ASCII form of an absolute http(s) URL for a Location header (IDNA host, percent-encoding), or null when there is none. */
export function locationValue(url: string): string | null {
  let href: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    href = parsed.href;
  } catch {
    return null;
  }
  return href.length > 0 && isSafeHeaderValue(href) && !href.includes(' ') ? href : null;
}

/** The ASCII origin of an http(s) URL for a CSP source list (punycode host), or null when it has none. */
export function asciiOrigin(url: string): string | null {
  const origin = httpOriginOf(url);
  return origin !== null && isSafeHeaderValue(origin) ? origin : null;
}

/** A strong ETag for an opaque tag, or null when the tag has characters an ETag cannot carry. */
export function etagValue(tag: string): string | null {
  return ETAG_CHARS.test(tag) ? `"${tag}"` : null;
}

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename` every client understands,
 * plus `filename*` with the exact name in UTF-8 (RFC 8187) when the two differ.
 */
export function attachmentDisposition(filename: string): string {
  const exact = filename.replace(LONE_SURROGATE, '\uFFFD');
  const fallback = exact.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'download';
  if (fallback === exact) return `attachment; filename="${fallback}"`;
  const encoded = encodeURIComponent(exact).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * A request header's first value, as `req.headers[name]` gives it for the headers node:http keeps
 * once (user-agent, referer, …), read from rawHeaders without building `req.headers`. `name` is lower case.
 */
export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1];
  }
  return undefined;
}
