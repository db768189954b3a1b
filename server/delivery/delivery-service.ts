import { countryCode } from '../../common/countries';
import { isId } from '../../common/schemas/ids';
import type { CountryLookup } from '../geo/country-table';
import type { AppContext } from '../app-context';
import { HttpError } from '../http/http-error';
import type { ReachSketches } from '../stats/reach-sketches';
import type { StatsService } from '../stats/stats-service';
import { MAX_PAGE_PLACEMENTS } from '../../common/schemas/decisions';
import { decide, decideExcluding, eligibleCreative, excludeChosen, type PageExclusions, type RequestFacts } from './decide';
import { hashWords, type DailyVisitorKey } from './daily-visitor-key';
import { classifyUserAgent, DEVICE_BITS } from './device-class';
import type { LocalClock } from '../../common/local-clock';
import type { SeenDecisions } from './seen-decisions';
import type { TokenClaims, TokenSigner } from './tokens';
import type { VisitorProbe } from './visitor-caps';
import { candidateStats, candidateTail, type Candidate, type ZoneEntry, type ZoneSnapshot } from './zone-snapshot';
import type { ZoneIndex } from './zone-index';
import type { StatsKey } from '../stats/stats-counters';

/** How long an impression URL counts after its decision. */
export const IMPRESSION_TTL_HOURS = 24;
/** How long a click URL counts (and redirects) after its decision. */
export const CLICK_TTL_HOURS = 7 * 24;
/** Tolerated clock difference for tokens issued "in the future" (several delivery nodes). */
const FUTURE_SKEW_SECONDS = 300;
const MAX_KEYWORDS = 20;
// Same rule as keywordSchema (common/schemas/targeting.ts), applied after lower-casing.
const KEYWORD = /^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u;

/** CORS and caching headers of every decision answer (errors included), so publishers' scripts can read them. */
export const DECISION_HEADERS: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };

/** A decision made: the chosen candidate and its signed token. */
export interface Served {
  candidate: Candidate;
  token: string;
  decisionId: string;
  baseUrl: string;
}

/** What a verified token is counted as: an impression, a click or a viewable impression. */
export type ClaimKind = 'impression' | 'click' | 'view';

/** What a page leaves out: the caller's exclusions, or (a page continued in the primary) what it already shows. */
export interface PageExclude {
  campaigns?: readonly string[];
  creatives?: readonly string[];
  /** Exclusivity groups already on the page (lower-cased, as PageExclusions keeps them). */
  groups?: readonly string[];
}

/** A decision made in the primary for a worker (a placement won by a per-visitor-capped campaign, and the rest of its page): what the worker's replica needs to answer it. */
export interface RemoteServed {
  creativeId: string;
  token: string;
  decisionId: string;
}

/**
 * A delivery worker's links to the primary process (cluster mode, server/cluster/): verified
 * tokens are counted there, once per decision whichever worker saw them, and placements won by a
 * campaign that caps per visitor are decided there, where the caps' counts live. Absent in one process.
 */
export interface PrimaryLinks {
  claim(kind: ClaimKind, claims: TokenClaims, campaignId: string, measurable: boolean, clientIp: string, userAgent: string | undefined): void;
  /** `preferred`: the creative the worker drew for the first placement, ignoring caps (see serve and servePage). */
  decide(
    placements: ReadonlyArray<{ zoneId: string; keywords: readonly string[] | null }>,
    exclude: PageExclude | undefined,
    userAgent: string | undefined,
    clientIp: string,
    preferred?: string,
  ): Promise<Array<RemoteServed | null>>;
}

const deliveryError = (status: number, code: 'bad_request' | 'not_found', message: string) => new HttpError(status, code, message, undefined, DECISION_HEADERS);

/** The delivery hot path: decisions from the in-memory index, token checks and counting. */
export class DeliveryService {
  constructor(
    private readonly ctx: AppContext,
    private readonly stats: Pick<StatsService, 'counters'>,
    readonly index: ZoneIndex,
    readonly signer: TokenSigner,
    private readonly clock: LocalClock,
    private readonly seen: { impressions: SeenDecisions; clicks: SeenDecisions; views: SeenDecisions },
    private readonly countries: CountryLookup,
    /** Per-visitor caps: the request's visitor, hashed only when a capped campaign asks. */
    private readonly visitor: VisitorProbe,
    /** Reach: the daily visitor key and today's sketches; null when reach measurement is off. */
    private readonly reach: { key: DailyVisitorKey; sketches: ReachSketches } | null,
    /** Set in a delivery worker process: counting and capped decisions go to the primary. */
    private readonly primary: PrimaryLinks | null = null,
  ) {}

  /** Finds a zone by id: 400 for a malformed id, 404 for an unknown one. */
  zone(zoneId: string | null | undefined, baseUrl: string): ZoneEntry {
    if (!zoneId) throw deliveryError(400, 'bad_request', 'Pass the zone id as ?zone=zon_… .');
    if (!isId('zone', zoneId)) throw deliveryError(400, 'bad_request', 'The zone id is malformed; zone ids look like zon_ followed by 16 letters and digits.');
    const zone = this.index.current(baseUrl).zones.get(zoneId);
    if (!zone) throw deliveryError(404, 'not_found', 'No zone with this id.');
    return zone;
  }

  /**
   * Finds a page's zones, in order: 400 for a missing, malformed or repeated id or more than
   * MAX_PAGE_PLACEMENTS, 404 for an unknown one; the message names the id and its position.
   */
  pageZones(zoneIds: readonly string[], baseUrl: string): ZoneEntry[] {
    if (zoneIds.length === 0 || zoneIds.length > MAX_PAGE_PLACEMENTS) {
      throw deliveryError(400, 'bad_request', `Pass 1 to ${MAX_PAGE_PLACEMENTS} zone ids per page; got ${zoneIds.length}.`);
    }
    const zones = this.index.current(baseUrl).zones;
    const out: ZoneEntry[] = [];
    for (let i = 0; i < zoneIds.length; i++) {
      const id = zoneIds[i]!;
      const at = `placement ${i + 1}`;
      if (!isId('zone', id)) throw deliveryError(400, 'bad_request', `The zone id of ${at} is malformed; zone ids look like zon_ followed by 16 letters and digits.`);
      if (zoneIds.indexOf(id) !== i) throw deliveryError(400, 'bad_request', `Zone ${id} is asked for twice (${at}); each placement of a page needs its own zone.`);
      const zone = zones.get(id);
      if (!zone) throw deliveryError(404, 'not_found', `No zone with the id ${id} (${at}).`);
      out.push(zone);
    }
    return out;
  }

  /**
   * Decides every placement of a page in order: no creative or campaign twice, no two campaigns of
   * one exclusivity group, nothing in `exclude`. Each served placement counts and gets its own
   * token exactly as a single decision; null where nothing is eligible.
   *
   * In a delivery worker the placements are drawn as if no visitor were capped (see serve), in
   * order; at the first whose winner caps per visitor, that placement and the rest of the page go
   * to the primary with what the page already shows and that winner (`preferred`), which the
   * primary serves if the visitor may still see it. Each placement is thus drawn as in one
   * process given the ones before it, and a page without a capped winner never leaves the worker.
   */
  servePage(
    placements: ReadonlyArray<{ zone: ZoneEntry; keywords: readonly string[] | null }>,
    exclude: PageExclude | undefined,
    userAgent: string | undefined,
    baseUrl: string,
    clientIp = '',
    preferred: string | null = null,
  ): Array<Served | null> | Promise<Array<Served | null>> {
    const nowMs = this.ctx.now().getTime();
    this.clock.update(nowMs);
    const device = DEVICE_BITS[classifyUserAgent(userAgent)];
    // One lookup for the whole page; the address is not kept.
    const country = clientIp === '' || placements.every((p) => p.zone.candidates.length === 0) ? 0 : this.countries.lookup(clientIp);
    const ex: PageExclusions = { creatives: new Set(exclude?.creatives), campaigns: new Set(exclude?.campaigns), groups: new Set(exclude?.groups) };
    const issuedAt = Math.floor(nowMs / 1000);
    const remoteCaps = this.primary !== null;
    const capped = !remoteCaps && placements.some((p) => p.zone.visitorCapped);
    if (capped) this.visitor.begin(clientIp, userAgent, '', nowMs);
    const served: Array<Served | null> = [];
    for (let i = 0; i < placements.length; i++) {
      const { zone, keywords } = placements[i]!;
      const visitor = capped && zone.visitorCapped ? this.visitor.site(zone.siteId) : null;
      const facts: RequestFacts = { keywords, device, nowMs, hour: this.clock.hour, weekday: this.clock.weekday, country, visitor };
      const candidate = (i === 0 && preferred !== null ? eligibleCreative(zone, preferred, facts, ex) : null) ?? decideExcluding(zone, facts, ex);
      if (remoteCaps && candidate !== null && candidate.rule.visitorCap !== null) {
        const shown = { campaigns: [...ex.campaigns], creatives: [...ex.creatives], groups: [...ex.groups] };
        return this.decideInPrimary(placements.slice(i), shown, userAgent, baseUrl, clientIp, candidate.creativeId).then((rest) => [...served, ...rest]);
      }
      if (!candidate) {
        served.push(null);
        continue;
      }
      if (visitor !== null && candidate.rule.visitorCap !== null) visitor.served(candidate.rule.id);
      excludeChosen(ex, candidate);
      const { token, decisionId } = this.signer.issue(candidateTail(candidate), issuedAt, country);
      this.stats.counters.served(candidateStats(candidate, country, this.stats.counters), nowMs);
      served.push({ candidate, token, decisionId, baseUrl });
    }
    if (capped) this.visitor.end();
    return served;
  }

  /**
   * Decides for a zone and counts the decision as served; null when no ad is eligible. `clientIp`
   * is used for the country lookup only and not kept: the decision carries the country number.
   *
   * Per-visitor caps in a delivery worker: the caps' counts live in the primary, so the worker
   * draws as if no visitor were capped and asks the primary only when the winner caps per visitor
   * (`preferred`). The primary serves that winner if the visitor may still see it, and otherwise
   * draws again with the caps. That is rejection sampling: a capped-out winner is redrawn among
   * the rest, so every campaign is chosen as often as in one process, and only the few decisions
   * a capped campaign wins cross to the primary.
   */
  serve(zone: ZoneEntry, keywords: readonly string[] | null, userAgent: string | undefined, baseUrl: string, clientIp = '', preferred: string | null = null): Served | null | Promise<Served | null> {
    const nowMs = this.ctx.now().getTime();
    this.clock.update(nowMs);
    // Statistics split by country, so every decision needs it (targeting too); no candidate, no lookup.
    const country = zone.candidates.length === 0 || clientIp === '' ? 0 : this.countries.lookup(clientIp);
    const remoteCaps = this.primary !== null && zone.visitorCapped;
    // Zones without a capped campaign never touch the visitor: the common path pays nothing.
    const visitor = zone.visitorCapped && !remoteCaps ? this.visitor.begin(clientIp, userAgent, zone.siteId, nowMs) : null;
    const facts: RequestFacts = { keywords, device: DEVICE_BITS[classifyUserAgent(userAgent)], nowMs, hour: this.clock.hour, weekday: this.clock.weekday, country, visitor };
    const candidate = (preferred !== null ? eligibleCreative(zone, preferred, facts) : null) ?? decide(zone, facts);
    if (remoteCaps && candidate !== null && candidate.rule.visitorCap !== null) {
      return this.decideInPrimary([{ zone, keywords }], undefined, userAgent, baseUrl, clientIp, candidate.creativeId).then((s) => s[0]!);
    }
    if (visitor !== null) {
      if (candidate !== null && candidate.rule.visitorCap !== null) visitor.served(candidate.rule.id);
      visitor.end();
    }
    if (!candidate) return null;
    const { token, decisionId } = this.signer.issue(candidateTail(candidate), Math.floor(nowMs / 1000), country);
    this.stats.counters.served(candidateStats(candidate, country, this.stats.counters), nowMs);
    return { candidate, token, decisionId, baseUrl };
  }

  /**
   * Counts an impression once per decision, and as measurable when the placement that fired it can
   * measure viewability (`measurable`, the tag's `?m=1`); throws 400 for forged, altered or expired
   * tokens. With reach on, the first count also adds the visitor (address, user agent, the zone's
   * site) to the campaign's sketch of the day; the hash is not kept.
   */
  impression(token: string, baseUrl: string, measurable = false, clientIp = '', userAgent?: string): boolean {
    const claims = this.verify(token, IMPRESSION_TTL_HOURS, 'impression');
    const target = this.index.current(baseUrl).creatives.get(claims.creativeId);
    // An ad removed since (or of a customer restricted since) is not counted; the pixel still answers.
    if (!target) return false;
    if (this.primary) {
      this.primary.claim('impression', claims, target.campaignId, measurable, clientIp, userAgent);
      return true;
    }
    return this.countImpression(claims, target.campaignId, baseUrl, measurable, clientIp, userAgent);
  }

  /**
   * Counts a verified impression token once per decision (here, or in the primary for its workers);
   * false when its decision was counted before.
   */
  countImpression(claims: TokenClaims, campaignId: string, baseUrl: string, measurable: boolean, clientIp: string, userAgent: string | undefined): boolean {
    if (!this.seen.impressions.markFirst(claims.decisionId, claims.idHigh, claims.idLow, claims.issuedAt)) return false;
    const nowMs = this.ctx.now().getTime();
    const key = this.statsKey(claims, campaignId, baseUrl);
    this.stats.counters.impression(key, nowMs);
    if (measurable) this.stats.counters.measurable(key, nowMs);
    if (this.reach) {
      const [hi, lo] = hashWords(this.reach.key.hash(nowMs, clientIp, userAgent, key.siteId));
      this.reach.sketches.add(campaignId, nowMs, hi, lo);
    }
    return true;
  }

  /**
   * Counts a viewable impression once per decision (the tag measured the MRC rule); the same token
   * and lifetime as the impression, so 400 for forged, altered or expired tokens.
   */
  view(token: string, baseUrl: string): boolean {
    const claims = this.verify(token, IMPRESSION_TTL_HOURS, 'view');
    const target = this.index.current(baseUrl).creatives.get(claims.creativeId);
    if (!target) return false;
    if (this.primary) {
      this.primary.claim('view', claims, target.campaignId, false, '', undefined);
      return true;
    }
    return this.countView(claims, target.campaignId, baseUrl);
  }

  /** Counts a verified view token once per decision; false when its decision was counted before. */
  countView(claims: TokenClaims, campaignId: string, baseUrl: string): boolean {
    if (!this.seen.views.markFirst(claims.decisionId, claims.idHigh, claims.idLow, claims.issuedAt)) return false;
    this.stats.counters.viewable(this.statsKey(claims, campaignId, baseUrl), this.ctx.now().getTime());
    return true;
  }

  /** Counts a click once per decision and returns the creative's registered landing URL. */
  click(token: string, baseUrl: string): string {
    const claims = this.verify(token, CLICK_TTL_HOURS, 'click');
    const target = this.index.current(baseUrl).creatives.get(claims.creativeId);
    if (!target) throw new HttpError(404, 'not_found', 'This ad is no longer available.');
    if (this.primary) this.primary.claim('click', claims, target.campaignId, false, '', undefined);
    else this.countClick(claims, target.campaignId, baseUrl);
    return target.landingUrl;
  }

  /** Counts a verified click token once per decision; false when its decision was counted before. */
  countClick(claims: TokenClaims, campaignId: string, baseUrl: string): boolean {
    if (!this.seen.clicks.markFirst(claims.decisionId, claims.idHigh, claims.idLow, claims.issuedAt)) return false;
    this.stats.counters.click(this.statsKey(claims, campaignId, baseUrl), this.ctx.now().getTime());
    return true;
  }

  /**
   * A worker's placements from one a per-visitor-capped campaign won: made in the primary (which counts them and
   * holds the caps), answered with this worker's candidates; a candidate the replica does not have
   * yet (a change still on its way) leaves the placement empty.
   */
  private async decideInPrimary(
    placements: ReadonlyArray<{ zone: ZoneEntry; keywords: readonly string[] | null }>,
    exclude: PageExclude | undefined,
    userAgent: string | undefined,
    baseUrl: string,
    clientIp: string,
    preferred?: string,
  ): Promise<Array<Served | null>> {
    const remote = await this.primary!.decide(placements.map((p) => ({ zoneId: p.zone.id, keywords: p.keywords })), exclude, userAgent, clientIp, preferred);
    return remote.map((r, i) => {
      const candidate = r && placements[i]!.zone.candidates.find((c) => c.creativeId === r.creativeId);
      return candidate ? { candidate, token: r!.token, decisionId: r!.decisionId, baseUrl } : null;
    });
  }

  /** Drops expired "already counted" marks (on the index's minute tick). */
  prune(): void {
    const nowSec = Math.floor(this.ctx.now().getTime() / 1000);
    this.seen.impressions.prune(nowSec);
    this.seen.clicks.prune(nowSec);
    this.seen.views.prune(nowSec);
  }

  private verify(token: string, ttlHours: number, what: string): TokenClaims {
    const claims = this.signer.verify(token);
    if (!claims) throw new HttpError(400, 'bad_request', `This ${what} link is not valid.`);
    const age = Math.floor(this.ctx.now().getTime() / 1000) - claims.issuedAt;
    if (age > ttlHours * 3600 || age < -FUTURE_SKEW_SECONDS) throw new HttpError(400, 'bad_request', `This ${what} link has expired.`);
    return claims;
  }

  /** Statistics keys made for impressions, views and clicks, per zone, creative and country; valid for one index snapshot. */
  private keys: { snapshot: ZoneSnapshot | null; byZone: Map<string, Map<string, Array<StatsKey | undefined>>> } = { snapshot: null, byZone: new Map() };

  private statsKey(claims: TokenClaims, campaignId: string, baseUrl: string): StatsKey {
    const snapshot = this.index.current(baseUrl);
    // Within one snapshot a zone's site and a creative's campaign are fixed: a key is made once and reused
    // (no joined id string to build and hash per count). A new snapshot starts afresh.
    if (this.keys.snapshot !== snapshot) this.keys = { snapshot, byZone: new Map() };
    let byCreative = this.keys.byZone.get(claims.zoneId);
    if (!byCreative) this.keys.byZone.set(claims.zoneId, (byCreative = new Map()));
    let byCountry = byCreative.get(claims.creativeId);
    if (!byCountry) byCreative.set(claims.creativeId, (byCountry = []));
    let key = byCountry[claims.country];
    if (!key || key.campaignId !== campaignId) {
      const siteId = snapshot.zones.get(claims.zoneId)?.siteId ?? '';
      key = byCountry[claims.country] = this.stats.counters.key(campaignId, claims.creativeId, claims.zoneId, siteId, countryCode(claims.country));
    }
    return key;
  }
}

/** Parses `kw=a,b` (lower-cased, deduplicated); 400 for malformed keywords. */
export function parseKeywords(raw: string | null): string[] | null {
  if (raw === null || raw === '') return null;
  return parseKeywordList(raw.split(','));
}

/** Checks a list of keywords as parseKeywords does (POST /v1/decisions passes them as an array). */
export function parseKeywordList(parts: readonly string[]): string[] | null {
  if (parts.length === 0) return null;
  if (parts.length > MAX_KEYWORDS) throw deliveryError(400, 'bad_request', `Pass at most ${MAX_KEYWORDS} keywords in kw.`);
  const out: string[] = [];
  for (const part of parts) {
    const kw = part.trim().toLowerCase();
    if (!KEYWORD.test(kw)) {
      throw deliveryError(400, 'bad_request', 'kw takes comma-separated keywords of 1–40 letters, digits or dashes.');
    }
    if (!out.includes(kw)) out.push(kw);
  }
  return out;
}
