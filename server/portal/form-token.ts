import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** How long a contact form stays valid after the page was served. */
export const FORM_TOKEN_TTL_MS = 2 * 60 * 60_000;
/** Clock skew tolerated for tokens "from the future" (several processes, clock adjustments). */
const FUTURE_SKEW_MS = 60_000;

/**
 * Cookie-free CSRF protection for the public HTML forms: each served form carries
 * `<issued-at>.<HMAC(key, issued-at)>`; a post needs a token this server issued within the last
 * two hours. The key is random per process and lives only in memory (a restart only makes open
 * forms ask to be sent again). The token holds nothing about the visitor.
 */
export class FormTokens {
  constructor(private readonly now: () => number, private readonly key: Buffer = randomBytes(32)) {}

  /** A fresh token for a form being served now. */
  issue(): string {
    const issuedAt = this.now().toString(36);
    return `${issuedAt}.${this.mac(issuedAt)}`;
  }

  /** Whether a posted token is one of ours and still fresh. */
  check(token: string | null): 'valid' | 'expired' | 'invalid' {
    const m = token ? /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token) : null;
    if (!m) return 'invalid';
    const expected = Buffer.from(this.mac(m[1]!));
    const given = Buffer.from(m[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    const age = this.now() - parseInt(m[1]!, 36);
    if (age < -FUTURE_SKEW_MS) return 'invalid';
    return age > FORM_TOKEN_TTL_MS ? 'expired' : 'valid';
  }

  private mac(issuedAt: string): string {
    return createHmac('sha256', this.key).update(`contact-form:${issuedAt}`).digest('base64url');
  }
}

/**
 * Whether a form post comes from another site, judged by what browsers send: `Sec-Fetch-Site`
 * when present (only `same-origin` and a user's own `none` pass), else an `Origin` whose host is not
 * this one (`Host`, or `X-Forwarded-Host` behind a proxy — a cross-site form cannot set either).
 * `Origin: null` without `Sec-Fetch-Site` passes: the pages' `Referrer-Policy: no-referrer` makes
 * browsers send it on same-origin posts too; the form token still has to match.
 */
export function isCrossSite(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined || origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  const forwarded = req.headers['x-forwarded-host'];
  const ownHosts = [req.headers.host, ...(typeof forwarded === 'string' ? forwarded.split(',').map((h) => h.trim()) : [])];
  return !ownHosts.some((own) => own !== undefined && own.toLowerCase() === host);
}
