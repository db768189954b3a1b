import { cidrContains, parseCidr, type Cidr } from '../../common/cidr';
import type { CaseFilters, UnsealedRecord } from '../../common/schemas/cases';
import { unverifiedTokenIds } from '../delivery/tokens';
import type { CaseScopeRepo } from './case-scope-repo';

/** A case's window and filters, resolved against the catalogue once before a scan. */
export interface CaseScope {
  /** ISO times (toISOString form): from <= t < to. */
  from: string;
  to: string;
  /** Each entry is one filter (zone, site, customer); a record must satisfy all of them. */
  placements: Array<{ zones: Set<string>; creatives: Set<string> }>;
  cidr: Cidr | null;
  path: string | null;
}

/** Resolves the case's filters (site and customer become sets of zones and creatives). */
export function resolveScope(window: { from: string; to: string }, filters: CaseFilters, repo: CaseScopeRepo): CaseScope {
  const placements: CaseScope['placements'] = [];
  if (filters.zoneId) placements.push({ zones: new Set([filters.zoneId]), creatives: new Set() });
  if (filters.siteId) placements.push({ zones: new Set(repo.zonesOfSite(filters.siteId)), creatives: new Set() });
  if (filters.customerId) {
    placements.push({ zones: new Set(repo.zonesOfCustomer(filters.customerId)), creatives: new Set(repo.creativesOfCustomer(filters.customerId)) });
  }
  return {
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    placements,
    cidr: filters.ipPrefix ? parseCidr(filters.ipPrefix) : null,
    path: filters.path ?? null,
  };
}

const ZONE_IN_PATH = /^\/v1\/zone\/([A-Za-z0-9_-]{1,100})(?:\.js|\/frame)$/;

/** The zones a page decision URL names (`/v1/decision?zones=ID,ID,…`); empty for any other URL. */
export function pageZonesOfUrl(url: string): string[] {
  const q = url.indexOf('?');
  if (q === -1 || url.slice(0, q) !== '/v1/decision') return [];
  return new URLSearchParams(url.slice(q + 1)).get('zones')?.split(',') ?? [];
}

/** The zone a delivery URL names (`/v1/zone/ID.js`, `/v1/zone/ID/frame`, `/v1/decision?zone=ID`), if any. */
export function zoneOfUrl(url: string): string | null {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const m = ZONE_IN_PATH.exec(path);
  if (m) return m[1]!;
  if (q !== -1 && path === '/v1/decision') return new URLSearchParams(url.slice(q + 1)).get('zone');
  return null;
}

/**
 * The matcher a scan runs on every line of a decrypted frame. The sealer writes
 * `{"t":"<ISO>","ip":"<ip>",…,"url":"<url>",…` in that order, so the window, the IP prefix and the
 * URL filters are decided on the raw line: a line is parsed only when one of them could not be read
 * there (another layout, or a URL with JSON escapes). Lines are kept as they are (RecordStore).
 */
export function recordMatcher(scope: CaseScope, placementOf: (url: string) => Placement = defaultPlacement): (line: string) => boolean {
  const { from, to } = scope;
  const ipTest = scope.cidr ? ipPrefixTest(scope.cidr) : null;
  const urlPasses = (url: string): boolean => {
    if (scope.path !== null) {
      const q = url.indexOf('?');
      if (!(q === -1 ? url : url.slice(0, q)).startsWith(scope.path)) return false;
    }
    if (scope.placements.length === 0) return true;
    const p = placementOf(url);
    return scope.placements.every(
      (f) => (p.zone !== null && f.zones.has(p.zone)) || (p.creative !== null && f.creatives.has(p.creative)) || (p.pageZones?.some((z) => f.zones.has(z)) ?? false),
    );
  };
  const urlChecks = scope.path !== null || scope.placements.length > 0;
  return (line) => {
    if (line.length < 32) return false;
    if (line.startsWith('{"t":"') && line.charCodeAt(30) === 34) {
      const rawT = line.slice(6, 30);
      if (rawT < from || rawT >= to) return false;
      let decided = true;
      if (ipTest) {
        const end = line.startsWith('","ip":"', 30) ? line.indexOf('"', 38) : -1;
        if (end === -1) decided = false;
        else if (!ipTest(line.slice(38, end))) return false;
      }
      if (urlChecks) {
        const at = line.indexOf(',"url":"', 38);
        const end = at === -1 ? -1 : line.indexOf('"', at + 8);
        // Only a URL without JSON escapes reads the same raw as parsed.
        if (end === -1 || line.lastIndexOf('\\', end) >= at) decided = false;
        else if (!urlPasses(line.slice(at + 8, end))) return false;
      }
      if (decided) return true;
    }
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return false;
    }
    const t = typeof r.t === 'string' ? new Date(r.t) : null;
    if (!t || Number.isNaN(t.getTime())) return false;
    const iso = t.toISOString();
    if (iso < from || iso >= to) return false;
    if (ipTest && !ipTest(typeof r.ip === 'string' ? r.ip : '')) return false;
    return urlPasses(typeof r.url === 'string' ? r.url : '');
  };
}

/** A fast membership test for a prefix: dotted IPv4 is parsed without allocating; anything else takes the general path. */
function ipPrefixTest(cidr: Cidr): (ip: string) => boolean {
  if (cidr.bytes.length !== 4) return (ip) => cidrContains(cidr, ip);
  const mask = cidr.bits === 0 ? 0 : (0xffffffff << (32 - cidr.bits)) >>> 0;
  const net = (((cidr.bytes[0]! << 24) | (cidr.bytes[1]! << 16) | (cidr.bytes[2]! << 8) | cidr.bytes[3]!) & mask) >>> 0;
  return (ip) => {
    let value = 0;
    let part = 0;
    let digits = 0;
    let dots = 0;
    for (let i = 0; i < ip.length; i++) {
      const c = ip.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        part = part * 10 + (c - 48);
        if (++digits > 3 || part > 255) return false;
      } else if (c === 46 && digits > 0 && dots < 3) {
        value = value * 256 + part;
        part = 0;
        digits = 0;
        dots++;
      } else {
        return cidrContains(cidr, ip); // IPv6 or IPv4-mapped IPv6
      }
    }
    if (dots !== 3 || digits === 0) return false;
    return ((value * 256 + part) & mask) >>> 0 === net;
  };
}

const TOKEN_IN_PATH = /^\/v1\/(?:imp|click)\/([A-Za-z0-9_-]{20,200})$/;
/**
 * The creative and zone an impression or click URL's token names. The MAC is not checked: the
 * record shows what the request claimed, which is what an abuse case looks at (forgeries included).
 */
export function tokenPlacement(url: string): { zone: string; creative: string } | null {
  const q = url.indexOf('?');
  const m = TOKEN_IN_PATH.exec(q === -1 ? url : url.slice(0, q));
  if (!m) return null;
  return unverifiedTokenIds(Buffer.from(m[1]!, 'base64url'));
}

/** What a record's URL names: one zone and/or creative, or the zones of a page decision (GET ?zones=; a POST's body is not recorded). */
interface Placement {
  zone: string | null;
  creative: string | null;
  pageZones?: readonly string[];
}

function defaultPlacement(url: string): Placement {
  const token = tokenPlacement(url);
  if (token) return token;
  const zone = zoneOfUrl(url);
  return zone !== null ? { zone, creative: null } : { zone: null, creative: null, pageZones: pageZonesOfUrl(url) };
}

/** Filters the records a viewer asks for within a case's results (GET /records ?ip&path&status). */
export function viewFilter(q: { ip?: string; path?: string; status?: number }): (r: UnsealedRecord) => boolean {
  const cidr = q.ip ? parseCidr(q.ip) : null;
  return (r) =>
    (!cidr || cidrContains(cidr, r.ip)) &&
    (q.path === undefined || r.url.startsWith(q.path)) &&
    (q.status === undefined || r.status === q.status);
}
