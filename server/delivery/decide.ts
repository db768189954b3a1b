import type { DeliveryReason } from '../../common/schemas/delivery-check';
import type { VisitorProbe } from './visitor-caps';
import type { CampaignRule, Candidate, ZoneEntry } from './zone-snapshot';

/** What a decision knows about the request: context only, never a person. */
export interface RequestFacts {
  /** Keywords of the page (`kw=`), already validated; null when none. */
  keywords: readonly string[] | null;
  /** DEVICE_BITS of the user agent's class. */
  device: number;
  nowMs: number;
  /** Hour (0–23) and weekday (0 = Sunday) in the targeting time zone. */
  hour: number;
  weekday: number;
  /** Country number of the client address (common/countries.ts), 0 when unknown; the address itself is not kept. */
  country: number;
  /** The visitor for per-visitor caps, set only when the zone has a capped campaign (null: caps are not checked). */
  visitor: VisitorProbe | null;
}

/** Head start of the pacing curve: a goal may run this fraction ahead of even delivery (at least 1). */
export const PACING_SLACK = 0.01;

/** Which running total of CampaignServed a goal counts: an index picked once per rule, never a string compared per request. */
export const GOAL_SERVED = 0;
export const GOAL_VIEWABLE = 1;
export const GOAL_CLICKS = 2;

/**
 * Whether a campaign may be served now: inside its flight (startsAt ≤ now < endsAt), matching its
 * targeting, below its daily cap (served decisions per UTC day), its goal (counted in served
 * decisions, viewable impressions or clicks; even pacing allows goal × elapsed/duration + slack so
 * far, asap (paceDuration 0) serves until the goal is met) and its per-visitor cap (when the
 * request carries a visitor). A change here needs the same change in whyNot below.
 */
export function isEligible(rule: CampaignRule, r: RequestFacts): boolean {
  if (r.nowMs < rule.startsAt || r.nowMs >= rule.endsAt) return false;
  const t = rule.targeting;
  if (t.devices !== 0 && (t.devices & r.device) === 0) return false;
  if (t.hours !== 0 && (t.hours & (1 << r.hour)) === 0) return false;
  if (t.weekdays !== 0 && (t.weekdays & (1 << r.weekday)) === 0) return false;
  // Unknown (0) is never in the set, so a request of unknown country does not match a country-targeted campaign.
  if (t.countries !== null && t.countries[r.country] !== 1) return false;
  if (t.keywords !== null) {
    const kws = r.keywords;
    if (kws === null) return false;
    let hit = false;
    for (let i = 0; i < kws.length && !hit; i++) hit = t.keywords.has(kws[i]!);
    if (!hit) return false;
  }
  const served = rule.served;
  if (rule.dailyCap !== null && served.servedToday(r.nowMs) >= rule.dailyCap) return false;
  if (rule.goal !== null) {
    const k = rule.goalKind;
    const done = k === GOAL_SERVED ? served.total : k === GOAL_CLICKS ? served.clicks : served.viewable;
    if (done >= rule.goal) return false;
    if (rule.paceDuration !== 0 && done >= rule.goal * ((r.nowMs - rule.startsAt) / rule.paceDuration) + rule.paceSlack) return false;
  }
  // Last: only a campaign eligible in every other way makes the request hash its visitor.
  return rule.visitorCap === null || r.visitor === null || r.visitor.allows(rule.id, rule.visitorCap);
}

/**
 * The first check of isEligible that fails, as a reason with its values; null exactly when isEligible is true.
 * A mirror kept beside it (test/why-not.test.ts asserts both agree on a table of cases) so the hot path keeps its
 * plain boolean checks and the delivery check still asks the same rules "why".
 */
export function whyNot(rule: CampaignRule, r: RequestFacts): DeliveryReason | null {
  if (r.nowMs < rule.startsAt) return { code: 'flight_not_started', params: { startsAt: new Date(rule.startsAt).toISOString() } };
  if (r.nowMs >= rule.endsAt) return { code: 'flight_ended', params: { endsAt: new Date(rule.endsAt).toISOString() } };
  const t = rule.targeting;
  if (t.devices !== 0 && (t.devices & r.device) === 0) return { code: 'targeting', params: { which: 'devices' } };
  if (t.hours !== 0 && (t.hours & (1 << r.hour)) === 0) return { code: 'targeting', params: { which: 'hours', hour: r.hour } };
  if (t.weekdays !== 0 && (t.weekdays & (1 << r.weekday)) === 0) return { code: 'targeting', params: { which: 'weekdays', weekday: r.weekday } };
  if (t.countries !== null && t.countries[r.country] !== 1) return { code: 'targeting', params: { which: 'countries' } };
  if (t.keywords !== null) {
    const kws = r.keywords;
    if (kws === null || !kws.some((k) => t.keywords!.has(k))) return { code: 'targeting', params: { which: 'keywords' } };
  }
  const served = rule.served;
  if (rule.dailyCap !== null) {
    const today = served.servedToday(r.nowMs);
    if (today >= rule.dailyCap) return { code: 'daily_cap_reached', params: { cap: rule.dailyCap, servedToday: today } };
  }
  if (rule.goal !== null) {
    const k = rule.goalKind;
    const done = k === GOAL_SERVED ? served.total : k === GOAL_CLICKS ? served.clicks : served.viewable;
    const kind = k === GOAL_SERVED ? 'impressions' : k === GOAL_CLICKS ? 'clicks' : 'viewable';
    if (done >= rule.goal) return { code: 'goal_reached', params: { goal: rule.goal, done, kind } };
    if (rule.paceDuration !== 0) {
      const allowed = rule.goal * ((r.nowMs - rule.startsAt) / rule.paceDuration) + rule.paceSlack;
      if (done >= allowed) return { code: 'pacing_ahead', params: { done, allowedNow: Math.floor(allowed), goal: rule.goal, kind } };
    }
  }
  if (rule.visitorCap !== null && r.visitor !== null && !r.visitor.allows(rule.id, rule.visitorCap)) {
    return { code: 'visitor_cap_reached', params: { cap: rule.visitorCap } };
  }
  return null;
}

/**
 * Picks the creative to serve in a zone: among eligible candidates of the highest priority, one
 * at random in proportion to weight (single pass, weighted reservoir sampling). Null when none.
 */
export function decide(zone: ZoneEntry, r: RequestFacts, random: () => number = Math.random): Candidate | null {
  let chosen: Candidate | null = null;
  let priority = 0;
  let total = 0;
  for (const c of zone.candidates) {
    if (chosen !== null && c.rule.priority < priority) break; // sorted: nothing better follows
    if (!isEligible(c.rule, r)) continue;
    priority = c.rule.priority;
    total += c.weight;
    if (random() * total < c.weight) chosen = c;
  }
  return chosen;
}

/** What a page has already shown (or its caller excluded): no creative, campaign or exclusivity group twice. */
export interface PageExclusions {
  creatives: Set<string>;
  campaigns: Set<string>;
  /** Lower-cased exclusivity groups of the campaigns already on the page. */
  groups: Set<string>;
}

/**
 * decide() for one placement of a page: the same choice, leaving out candidates the page excludes.
 * A separate function so the single-placement path pays nothing for it.
 */
export function decideExcluding(zone: ZoneEntry, r: RequestFacts, ex: PageExclusions, random: () => number = Math.random): Candidate | null {
  let chosen: Candidate | null = null;
  let priority = 0;
  let total = 0;
  for (const c of zone.candidates) {
    if (chosen !== null && c.rule.priority < priority) break;
    if (isExcluded(ex, c) || !isEligible(c.rule, r)) continue;
    priority = c.rule.priority;
    total += c.weight;
    if (random() * total < c.weight) chosen = c;
  }
  return chosen;
}

/** Whether the page already shows (or its caller excluded) the candidate's creative, campaign or exclusivity group. */
export function isExcluded(ex: PageExclusions, c: Candidate): boolean {
  if (ex.creatives.has(c.creativeId) || ex.campaigns.has(c.rule.id)) return true;
  const group = c.rule.exclusivityGroup;
  return group !== null && ex.groups.has(group);
}

/**
 * The candidate of creative `creativeId` in `zone` if it may be served now (and the page does not
 * exclude it): a worker's winner re-checked where the per-visitor caps are known; null otherwise.
 */
export function eligibleCreative(zone: ZoneEntry, creativeId: string, r: RequestFacts, ex?: PageExclusions): Candidate | null {
  const c = zone.candidates.find((x) => x.creativeId === creativeId);
  return c !== undefined && (ex === undefined || !isExcluded(ex, c)) && isEligible(c.rule, r) ? c : null;
}

/** Marks a chosen candidate on the page, so later placements leave out its creative, campaign and group. */
export function excludeChosen(ex: PageExclusions, c: Candidate): void {
  ex.creatives.add(c.creativeId);
  ex.campaigns.add(c.rule.id);
  if (c.rule.exclusivityGroup !== null) ex.groups.add(c.rule.exclusivityGroup);
}
