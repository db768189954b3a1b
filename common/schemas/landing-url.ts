import { z } from 'zod';
import { keyed, type CheckKey, type CheckParams } from './checks';

/**
 * The one rule for landing URLs (where a click on an ad goes). A landing URL ends up in the
 * click's `Location` header, which must be plain ASCII, so it is stored in the form the WHATWG URL
 * parser gives it: IDNA host in punycode, path, query and fragment percent-encoded, a port in range.
 * Browsers and Node both have that parser as the global `URL`, so the console and the server agree.
 */

/** Longest landing URL, counted after normalising (percent-encoding makes non-ASCII text longer). */
export const LANDING_URL_MAX_LENGTH = 2048;

export type LandingUrlResult = { ok: true; url: string } | { ok: false; message: string; key: CheckKey; params?: CheckParams };

/** What this module uses of the WHATWG URL class (common/ has no DOM or Node typings). */
interface WhatwgUrl {
  protocol: string;
  username: string;
  password: string;
  hostname: string;
  port: string;
  href: string;
}
const WhatwgUrlClass = (globalThis as unknown as { URL: new (input: string) => WhatwgUrl }).URL;

const ABSOLUTE_HTTP = /^https?:\/\//i;
// Tabs and line breaks would be dropped silently by the parser; spaces inside are a typo more often than not.
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f]/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
/** The port of an authority (after any user info and IPv6 brackets), to explain a port the parser refused. */
const AUTHORITY_PORT = /^https?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/?#:]*):(\d+)(?:[/?#]|$)/i;

const fail = (key: CheckKey, message: string, params?: CheckParams): LandingUrlResult => ({ ok: false, message, key, ...(params ? { params } : {}) });

/** Normalises a landing URL to its ASCII form, or says in one sentence why it cannot be one. */
export function normaliseLandingUrl(input: string): LandingUrlResult {
  const value = input.trim();
  if (value.length > LANDING_URL_MAX_LENGTH) return fail('landingUrlTooLong', `Landing URLs are at most ${LANDING_URL_MAX_LENGTH} characters.`, { max: LANDING_URL_MAX_LENGTH });
  if (!ABSOLUTE_HTTP.test(value)) return fail('landingUrlAbsolute', 'Enter an absolute http(s) URL like https://shop.example/offer.');
  if (SPACE_OR_CONTROL.test(value)) return fail('landingUrlSpaces', 'Landing URLs cannot contain spaces or control characters; write a space as %20.');
  let url: WhatwgUrl;
  try {
    url = new WhatwgUrlClass(value);
  } catch {
    const port = AUTHORITY_PORT.exec(value)?.[1];
    if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return fail('landingUrlPort', 'The port of a landing URL must be between 1 and 65535.');
    return fail('landingUrlHost', 'This landing URL is not a valid web address; check the host name.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('landingUrlAbsolute', 'Enter an absolute http(s) URL like https://shop.example/offer.');
  if (url.username || url.password) return fail('landingUrlCredentials', 'Landing URLs must not contain a user name or password (user:password@).');
  if (url.port === '0') return fail('landingUrlPort', 'The port of a landing URL must be between 1 and 65535.');
  if (url.href.length > LANDING_URL_MAX_LENGTH) return fail('landingUrlTooLong', `Landing URLs are at most ${LANDING_URL_MAX_LENGTH} characters once encoded.`, { max: LANDING_URL_MAX_LENGTH });
  // The parser encodes everything outside printable ASCII; checked again because a Location header depends on it.
  if (!PRINTABLE_ASCII.test(url.href)) return fail('landingUrlHost', 'This landing URL is not a valid web address; check the host name.');
  return { ok: true, url: url.href };
}

/** Where a click goes: any http(s) URL the browser could follow, stored in its normalised ASCII form. */
export const landingUrlSchema = z.string().transform((value, ctx) => {
  const result = normaliseLandingUrl(value);
  if (result.ok) return result.url;
  ctx.addIssue({ code: 'custom', ...keyed(result.key, result.message, result.params) });
  return z.NEVER;
});
