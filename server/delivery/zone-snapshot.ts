import { COUNTRY_CODES, countryCode, countryNumber } from '../../common/countries';
import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import { normaliseLandingUrl } from '../../common/schemas/landing-url';
import { targetingSchema } from '../../common/schemas/targeting';
import type { CampaignServed, StatsCounters, StatsKey } from '../stats/stats-counters';
import type { CampaignRow, CreativeRow, DeliverySnapshot, ZoneRow } from './delivery-snapshot-repo';
import { GOAL_CLICKS, GOAL_SERVED, GOAL_VIEWABLE, PACING_SLACK } from './decide';
import { DEVICE_BITS } from './device-class';
import { MAX_TOKEN_ID_BYTES, tokenTail } from './tokens';


/** Targeting compiled for one-AND checks; 0 / null means "any". */
export interface CompiledTargeting {
  keywords: ReadonlySet<string> | null;
  devices: number;
  hours: number;
  weekdays: number;
  /** 1 at the country numbers targeted (common/countries.ts); null means any country. */
  countries: Uint8Array | null;
}

const GOAL_INDEX: ReadonlyMap<string, number> = new Map([['impressions', GOAL_SERVED], ['viewable', GOAL_VIEWABLE], ['clicks', GOAL_CLICKS]]);

/** What a decision checks about a campaign. */
export interface CampaignRule {
  id: string;
  startsAt: number;
  endsAt: number;
  goal: number | null;
  /** GOAL_SERVED, GOAL_VIEWABLE or GOAL_CLICKS. */
  goalKind: number;
  /** Even pacing: the flight's length in ms (allowed(t) = goal × (t − startsAt)/paceDuration + paceSlack); 0 for asap. */
  paceDuration: number;
  paceSlack: number;
  dailyCap: number | null;
  priority: number;
  weight: number;
  targeting: CompiledTargeting;
  served: CampaignServed;
  /** Exclusivity group, lower-cased (groups compare case-insensitively); null = none. */
  exclusivityGroup: string | null;
  /** Served decisions per visitor and UTC day (VisitorCaps); null = no cap. */
  visitorCap: number | null;
}

/** One creative eligible (by size, link and status) in one zone, with everything a response needs precomputed. */
export interface Candidate {
  rule: CampaignRule;
  creativeId: string;
  zoneId: string;
  /** The zone's site (for the statistics key). */
  siteId: string;
  /** The campaign's weight shared among its creatives in this zone, so campaigns compete by their own weight. */
  weight: number;
  /**
   * Statistics key for requests of unknown country, made when the candidate is first served (see
   * candidateStats): a large catalogue has 100,000 candidates, most of them never or rarely chosen.
   */
  stats: StatsKey | null;
  /** Keys per country number, made on first use (see candidateStats). */
  statsByCountry: Map<number, StatsKey> | null;
  /** The token's id part (tokens.ts tokenTail), made when the candidate is first served (see candidateTail). */
  tokenTail: Buffer | null;
  /**
   * What the response shows, one object per creative however many zones show it: a large catalogue
   * has 100,000 candidates of 13,000 creatives, and each field kept here instead costs 800 KB.
   */
  creative: CreativeJson;
}

/** A placement and its candidates, highest priority first. */
export interface ZoneEntry {
  id: string;
  siteId: string;
  width: number;
  height: number;
  candidates: Candidate[];
  /** Whether a candidate's campaign caps per visitor: only then does a decision here hash the visitor. */
  visitorCapped: boolean;
}

/** Where a click goes and whose statistics it counts in. */
export interface ClickTarget {
  campaignId: string;
  landingUrl: string;
}

/** The immutable state delivery reads: swapped as a whole when data change. */
export interface ZoneSnapshot {
  zones: ReadonlyMap<string, ZoneEntry>;
  creatives: ReadonlyMap<string, ClickTarget>;
  /** Every campaign rule built (flight not over, settings valid), also those in no zone: the delivery check asks them. */
  rules: ReadonlyMap<string, CampaignRule>;
  baseUrl: string;
}

/** Reports a problem once per distinct key (the index is rebuilt every minute). */
export type WarnOnce = (key: string, message: string, fields: Record<string, unknown>) => void;

function countrySet(codes: readonly string[] | undefined): Uint8Array | null {
  if (!codes?.length) return null;
  const set = new Uint8Array(COUNTRY_CODES.length + 1);
  for (const c of codes) set[countryNumber(c)] = 1;
  set[0] = 0; // unknown never matches
  return set;
}

const bits = (values: readonly number[] | undefined) => (values ?? []).reduce((acc, v) => acc | (1 << v), 0);

/** Builds a campaign's rule, or null when it has nothing to serve (flight over) or invalid settings (warned). */
export function buildRule(c: CampaignRow, nowMs: number, counters: StatsCounters, warn: WarnOnce): CampaignRule | null {
  const startsAt = Date.parse(c.startsAt);
  const endsAt = Date.parse(c.endsAt);
  if (!(endsAt > nowMs) || Number.isNaN(startsAt)) return null; // over (or unreadable): nothing to serve
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(c.targeting || '{}');
  } catch {
    parsedJson = undefined;
  }
  const t = targetingSchema.safeParse(parsedJson);
  if (!t.success) {
    warn(`targeting:${c.id}:${c.targeting}`, 'campaign has invalid targeting and is not delivered', { campaignId: c.id });
    return null;
  }
  if (!(c.weight > 0)) return null;
  const goalKind = GOAL_INDEX.get(c.goalKind);
  if (goalKind === undefined || (c.pacing !== 'even' && c.pacing !== 'asap')) {
    warn(`goal:${c.id}:${c.goalKind}:${c.pacing}`, 'campaign has an unknown goal kind or pacing and is not delivered', { campaignId: c.id });
    return null;
  }
  const goal = c.impressionGoal;
  const even = goal !== null && c.pacing === 'even';
  return {
    id: c.id,
    startsAt,
    endsAt,
    goal,
    goalKind,
    paceDuration: even ? endsAt - startsAt : 0,
    paceSlack: even ? Math.max(1, Math.ceil(goal * PACING_SLACK)) : 0,
    dailyCap: c.dailyCap,
    priority: c.priority,
    weight: c.weight,
    targeting: {
      keywords: t.data.keywords?.length ? new Set(t.data.keywords) : null,
      devices: (t.data.devices ?? []).reduce((acc, d) => acc | DEVICE_BITS[d], 0),
      hours: bits(t.data.hours),
      weekdays: bits(t.data.weekdays),
      countries: countrySet(t.data.countries),
    },
    served: counters.campaign(c.id),
    exclusivityGroup: c.exclusivityGroup ? c.exclusivityGroup.toLowerCase() : null,
    visitorCap: c.visitorDailyCap ?? null,
  };
}

/** Where a creative's clicks go, or null when its stored landing URL is unusable (warned). */
export function clickTarget(cr: CreativeRow, warn: WarnOnce): ClickTarget | null {
  // Rows written before migration 032 (or by hand) may hold URLs no browser could follow: normalised or left out.
  const landing = normaliseLandingUrl(cr.landingUrl);
  if (!landing.ok) {
    warn(`landing:${cr.id}:${cr.landingUrl}`, 'creative has no valid http(s) landing URL and is not delivered', { creativeId: cr.id });
    return null;
  }
  return { campaignId: cr.campaignId, landingUrl: landing.url };
}

/**
 * Candidates rank by priority (highest first); within one priority by campaign and creative id, so the
 * order depends on nothing but the data (an incremental update gives the same order as a full build).
 */
export function byRank(a: Candidate, b: Candidate): number {
  return b.rule.priority - a.rule.priority || (a.rule.id < b.rule.id ? -1 : a.rule.id > b.rule.id ? 1 : 0) || (a.creativeId < b.creativeId ? -1 : a.creativeId > b.creativeId ? 1 : 0);
}

/** Everything a build needs besides the rows; `shared` keeps one JSON per creative however many zones show it. */
export interface BuildTools {
  baseUrl: string;
  warn: WarnOnce;
  shared: Map<string, CreativeJson>;
}

/**
 * Token tails (tokens.ts tokenTail) packed side by side into shared blocks: one allocation per
 * 64 KiB instead of three per candidate, and no pool slab kept alive by a few bytes.
 */
export class TailArena {
  private block = Buffer.alloc(0);
  private used = 0;

  tail(creativeId: string, zoneId: string): Buffer {
    const t = tokenTail(creativeId, zoneId);
    if (this.used + t.length > this.block.length) {
      this.block = Buffer.allocUnsafeSlow(Math.max(65_536, t.length));
      this.used = 0;
    }
    t.copy(this.block, this.used);
    const view = this.block.subarray(this.used, this.used + t.length);
    this.used += t.length;
    return view;
  }
}

/** Appends to `out` the candidates of one campaign in one zone: its servable creatives of the zone's size. */
export function addCampaignCandidates(out: Candidate[], z: ZoneRow, rule: CampaignRule, servable: readonly CreativeRow[], tools: BuildTools): void {
  let fitting = 0;
  for (const cr of servable) if (cr.width === z.width && cr.height === z.height) fitting++;
  if (fitting === 0) return;
  const weight = rule.weight / fitting;
  for (const cr of servable) {
    if (cr.width !== z.width || cr.height !== z.height) continue;
    const candidate = makeCandidate(cr, rule, z.id, z.siteId, weight, tools);
    if (candidate) out.push(candidate);
  }
}

/** Builds the zone index from the stored rows; invalid campaigns and creatives are left out with a warning. */
export function buildSnapshot(data: DeliverySnapshot, baseUrl: string, nowMs: number, counters: StatsCounters, warn: WarnOnce): ZoneSnapshot {
  const rules = new Map<string, CampaignRule>();
  for (const c of data.campaigns) {
    const rule = buildRule(c, nowMs, counters, warn);
    if (rule) rules.set(c.id, rule);
  }

  const creatives = new Map<string, ClickTarget>();
  const creativesByCampaign = new Map<string, CreativeRow[]>();
  for (const cr of data.creatives) {
    const target = clickTarget(cr, warn);
    if (!target) continue;
    creatives.set(cr.id, target);
    if (!cr.servable || !rules.has(cr.campaignId)) continue;
    let list = creativesByCampaign.get(cr.campaignId);
    if (!list) creativesByCampaign.set(cr.campaignId, (list = []));
    list.push(cr);
  }

  const zoneCampaigns = new Map<string, string[]>();
  for (const l of data.links) {
    if (!rules.has(l.campaignId)) continue;
    let list = zoneCampaigns.get(l.zoneId);
    if (!list) zoneCampaigns.set(l.zoneId, (list = []));
    list.push(l.campaignId);
  }

  const tools: BuildTools = { baseUrl, warn, shared: new Map() };
  const zones = new Map<string, ZoneEntry>();
  for (const z of data.zones) {
    const candidates: Candidate[] = [];
    if (z.servable) {
      for (const campaignId of zoneCampaigns.get(z.id) ?? []) addCampaignCandidates(candidates, z, rules.get(campaignId)!, creativesByCampaign.get(campaignId) ?? [], tools);
      candidates.sort(byRank);
    }
    zones.set(z.id, zoneEntry(z, candidates));
  }
  return { zones, creatives, rules, baseUrl };
}

/** A zone's entry for its (ranked) candidates. */
export function zoneEntry(z: ZoneRow, candidates: Candidate[]): ZoneEntry {
  return { id: z.id, siteId: z.siteId, width: z.width, height: z.height, candidates, visitorCapped: candidates.some((c) => c.rule.visitorCap !== null) };
}

/** A creative as a response shows it, shared by its candidates in every zone. */
export interface CreativeJson {
  width: number;
  height: number;
  alt: string;
  imageUrl: string | null;
  html: string | null;
  /** The creative's JSON, split where the click URL goes (one part when there is no macro). */
  parts: string[];
  /** UTF-8 bytes of `parts` beyond their string length (non-ASCII alt text): content-length without a scan. */
  extraBytes: number;
}

function makeCandidate(
  cr: CreativeRow,
  rule: CampaignRule,
  zoneId: string,
  siteId: string,
  weight: number,
  { baseUrl, warn, shared }: BuildTools,
): Candidate | null {
  if (Buffer.byteLength(cr.id) + Buffer.byteLength(zoneId) > MAX_TOKEN_ID_BYTES) {
    warn(`ids:${cr.id}:${zoneId}`, 'creative and zone ids are too long for a delivery token; not delivered', { creativeId: cr.id });
    return null;
  }
  let json = shared.get(cr.id);
  if (!json) {
    let imageUrl: string | null = null;
    let html: string | null = null;
    if (cr.assetId) imageUrl = `${baseUrl}/v1/assets/${encodeURIComponent(cr.assetId)}`;
    else if (cr.imageUrl) {
      imageUrl = firstPartyImage(cr.imageUrl, baseUrl);
      if (!imageUrl) {
        // Before the listener is bound the base URL is unknown; the index is rebuilt for it at the first request.
        if (!baseUrl) return null;
        warn(`image:${cr.id}:${cr.imageUrl}`, 'creative image is not served by this server (third-party URL); not delivered', { creativeId: cr.id });
        return null;
      }
    } else if (cr.html) html = cr.html;
    else {
      warn(`empty:${cr.id}`, 'creative has neither image nor HTML; not delivered', { creativeId: cr.id });
      return null;
    }
    const creative = html !== null ? { id: cr.id, width: cr.width, height: cr.height, html, alt: cr.alt } : { id: cr.id, width: cr.width, height: cr.height, imageUrl, alt: cr.alt };
    const text = JSON.stringify(creative);
    const parts = text.split(CLICK_URL_MACRO);
    shared.set(cr.id, (json = { width: cr.width, height: cr.height, alt: cr.alt, imageUrl, html, parts, extraBytes: Buffer.byteLength(text) - text.length }));
  }
  return { rule, creativeId: cr.id, zoneId, siteId, weight, stats: null, statsByCountry: null, tokenTail: null, creative: json };
}

/**
 * The statistics key of a candidate for a country number: built when first needed, once per candidate
 * and country, then reused (no allocation per decision). A candidate shared by two snapshots (an
 * incremental update keeps unchanged ones) gets the same key whichever made it.
 */
export function candidateStats(c: Candidate, country: number, counters: StatsCounters): StatsKey {
  if (country === 0) return (c.stats ??= counters.key(c.rule.id, c.creativeId, c.zoneId, c.siteId));
  // A map, not an array of every country: a large catalogue has 100,000 candidates, most served from a few countries.
  const byCountry = (c.statsByCountry ??= new Map());
  let key = byCountry.get(country);
  if (!key) {
    key = counters.key(c.rule.id, c.creativeId, c.zoneId, c.siteId, countryCode(country));
    byCountry.set(country, key);
  }
  return key;
}

/** Where token tails of served candidates are packed (blocks are freed once no candidate holds a view). */
const TAILS = new TailArena();

/** The token tail of a candidate, made at its first decision (its ids' length was checked at build). */
export function candidateTail(c: Candidate): Buffer {
  return (c.tokenTail ??= TAILS.tail(c.creativeId, c.zoneId));
}

/** Image URLs must point at this server (publishers' pages load nothing from third parties through us). */
function firstPartyImage(url: string, baseUrl: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return baseUrl + url;
  try {
    return new URL(url).origin === new URL(baseUrl).origin ? url : null;
  } catch {
    return null;
  }
}
