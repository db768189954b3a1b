import { FORECAST_WEEK_WEIGHTS, type Forecast, type ForecastBooking, type ForecastRequest } from '../../common/schemas/forecast';
import type { GoalKind } from '../../common/schemas/pricing';
import type { BookedCampaign, ZoneHour } from './forecast-repo';

const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;
const WEEK_MS = WEEK_HOURS * HOUR_MS;
/** Measures of a profile, in this order: what an impressions goal counts (served decisions), viewable impressions, clicks. */
const MEASURES = 3;
const MEASURE: Readonly<Record<GoalKind, number>> = { impressions: 0, viewable: 1, clicks: 2 };
const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Hour number → slot of the week (weekday × 24 + hour) in the operator's time zone, memoised per forecast. */
export class WeekSlots {
  private readonly format: Intl.DateTimeFormat;
  private readonly memo = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  }

  of(hour: number): number {
    let slot = this.memo.get(hour);
    if (slot === undefined) {
      let weekday = 0;
      let h = 0;
      for (const part of this.format.formatToParts(hour * HOUR_MS)) {
        if (part.type === 'weekday') weekday = WEEKDAYS[part.value] ?? 0;
        else if (part.type === 'hour') h = Number(part.value) % 24;
      }
      slot = weekday * 24 + h;
      this.memo.set(hour, slot);
    }
    return slot;
  }
}

/** A zone's expected counts per slot of the week, and their sum over a whole week. */
export interface ZoneProfile {
  slots: Float64Array;
  weekTotal: Float64Array;
  hasHistory: boolean;
}

/**
 * Profiles from the weeks before `nowHour` (FORECAST_WEEK_WEIGHTS.length weeks of 168 hours, the most recent
 * first): per slot, the weighted mean of the weeks in which the zone served anything. A week without a single
 * count (the zone was new, or its site was down) is left out rather than averaged in as zero; a served week's
 * empty slot is a real zero. Rows are added one by one, so a scan can stream them in.
 */
export class ProfileBuilder {
  private readonly sums = new Map<string, { perWeek: Float64Array; seen: boolean[] }>();

  constructor(zoneIds: Iterable<string>, private readonly nowHour: number, private readonly slots: WeekSlots) {
    const weeks = FORECAST_WEEK_WEIGHTS.length;
    for (const id of zoneIds) this.sums.set(id, { perWeek: new Float64Array(weeks * WEEK_HOURS * MEASURES), seen: new Array<boolean>(weeks).fill(false) });
  }

  /** Adds one rollup row (a zone-hour may come several times: per campaign, creative and country). */
  add(zoneId: string, hour: number, served: number, viewable: number, clicks: number): void {
    const s = this.sums.get(zoneId);
    const week = Math.floor((this.nowHour - 1 - hour) / WEEK_HOURS);
    if (!s || week < 0 || week >= FORECAST_WEEK_WEIGHTS.length) return;
    const at = (week * WEEK_HOURS + this.slots.of(hour)) * MEASURES;
    s.perWeek[at] = s.perWeek[at]! + served;
    s.perWeek[at + 1] = s.perWeek[at + 1]! + viewable;
    s.perWeek[at + 2] = s.perWeek[at + 2]! + clicks;
    if (served + viewable + clicks > 0) s.seen[week] = true;
  }

  finish(): Map<string, ZoneProfile> {
    const out = new Map<string, ZoneProfile>();
    for (const [id, s] of this.sums) {
      const profile: ZoneProfile = { slots: new Float64Array(WEEK_HOURS * MEASURES), weekTotal: new Float64Array(MEASURES), hasHistory: s.seen.some(Boolean) };
      const weightSum = FORECAST_WEEK_WEIGHTS.reduce((sum, w, i) => sum + (s.seen[i] ? w : 0), 0);
      if (weightSum > 0) {
        for (let week = 0; week < FORECAST_WEEK_WEIGHTS.length; week++) {
          if (!s.seen[week]) continue;
          const w = FORECAST_WEEK_WEIGHTS[week]! / weightSum;
          for (let i = 0; i < WEEK_HOURS * MEASURES; i++) profile.slots[i]! += w * s.perWeek[week * WEEK_HOURS * MEASURES + i]!;
        }
        for (let i = 0; i < WEEK_HOURS * MEASURES; i++) profile.weekTotal[i % MEASURES]! += profile.slots[i]!;
      }
      out.set(id, profile);
    }
    return out;
  }
}

/** ProfileBuilder over a list of rows. */
export function buildProfiles(zoneIds: readonly string[], rows: Iterable<ZoneHour>, nowHour: number, slots: WeekSlots): Map<string, ZoneProfile> {
  const builder = new ProfileBuilder(zoneIds, nowHour, slots);
  for (const r of rows) builder.add(r.zoneId, r.hour, r.served, r.viewable, r.clicks);
  return builder.finish();
}

/**
 * A zone's expected count of one measure in [startMs, endMs): whole weeks from the weekly total, the rest hour by
 * hour by its slot (partial hours pro rata), so a year-long flight costs at most a week of slot lookups.
 */
export function expectedIn(p: ZoneProfile, measure: number, startMs: number, endMs: number, slots: WeekSlots): number {
  if (!(endMs > startMs) || !p.hasHistory) return 0;
  const fullWeeks = Math.floor((endMs - startMs) / WEEK_MS);
  let sum = fullWeeks * p.weekTotal[measure]!;
  const from = startMs + fullWeeks * WEEK_MS;
  for (let h = Math.floor(from / HOUR_MS); h * HOUR_MS < endMs; h++) {
    const part = (Math.min(endMs, (h + 1) * HOUR_MS) - Math.max(from, h * HOUR_MS)) / HOUR_MS;
    if (part > 0) sum += part * p.slots[slots.of(h) * MEASURES + measure]!;
  }
  return sum;
}

/** Running goal totals of a campaign: served decisions, viewable impressions, clicks (what goals count). */
export interface GoalDone {
  total: number;
  viewable: number;
  clicks: number;
}

const doneOf = (d: GoalDone, kind: GoalKind) => (kind === 'impressions' ? d.total : kind === 'viewable' ? d.viewable : d.clicks);

export interface ForecastInput {
  request: ForecastRequest;
  nowMs: number;
  profiles: ReadonlyMap<string, ZoneProfile>;
  slots: WeekSlots;
  bookings: readonly BookedCampaign[];
  done: (campaignId: string) => GoalDone;
}

/**
 * The forecast of a zone set for a range. The rules, in order:
 * - Expected: each zone's profile (buildProfiles) summed over the range from now on; the history counts what was
 *   served, so requests no campaign filled are not in it and the forecast errs low for zones that went unfilled.
 * - Booked: every active or paused campaign with a goal in one of the zones whose flight overlaps the range
 *   (but the one being edited). Its remaining goal (goal − delivered so far, live counters) is spread over its
 *   remaining flight and all its zones in proportion to their expected traffic; the part in this range and zone
 *   set is booked. Without any history in its zones, evenly by time and zone count. Asap pacing is treated
 *   like even pacing (it front-loads in reality, so bookings in later ranges come out a little high).
 * - A goal of another kind converts by the zone set's expected ratio between the kinds (viewable ÷ served, clicks
 *   ÷ served); where the history has none of a kind, 1 : 1.
 * - Free = expected − booked (at least 0); needed = the goal (minus what the edited campaign already delivered);
 *   share = needed ÷ free; overbooked when needed > free.
 */
export function computeForecast({ request, nowMs, profiles, slots, bookings, done }: ForecastInput): Forecast {
  const kind: GoalKind = request.goal?.kind ?? 'impressions';
  const m = MEASURE[kind];
  const from = Math.max(Date.parse(request.startsAt), nowMs);
  const to = Math.max(Date.parse(request.endsAt), from);
  const zoneIds = request.zoneIds;
  const inSet = new Set(zoneIds);
  const expectedOf = (zoneId: string, measure: number, s: number, e: number) => {
    const p = profiles.get(zoneId);
    return p ? expectedIn(p, measure, s, e, slots) : 0;
  };

  const perZoneExpected = zoneIds.map((z) => [expectedOf(z, 0, from, to), expectedOf(z, 1, from, to), expectedOf(z, 2, from, to)] as const);
  const setTotals = [0, 1, 2].map((i) => perZoneExpected.reduce((sum, e) => sum + e[i]!, 0));
  // Ratio of a kind to served decisions in this zone set; 0 where the history has none of it.
  const rate = (measure: number) => (setTotals[0]! > 0 ? setTotals[measure]! / setTotals[0]! : 0);
  const convert = (amount: number, fromKind: GoalKind) => {
    const a = rate(MEASURE[fromKind]);
    const b = rate(m);
    return a > 0 && b > 0 ? (amount * b) / a : amount;
  };

  const bookedPerZone = new Map<string, number>(zoneIds.map((z) => [z, 0]));
  const bookingsOut: ForecastBooking[] = [];
  for (const c of bookings) {
    const remaining = Math.max(0, c.goal - doneOf(done(c.id), c.goalKind));
    const flightFrom = Math.max(Date.parse(c.startsAt), nowMs);
    const flightTo = Date.parse(c.endsAt);
    const overlapFrom = Math.max(flightFrom, from);
    const overlapTo = Math.min(flightTo, to);
    const shared = c.zoneIds.filter((z) => inSet.has(z));
    let parts: Array<[string, number]> = [];
    if (remaining > 0 && flightTo > flightFrom && overlapTo > overlapFrom && shared.length > 0) {
      const whole = c.zoneIds.reduce((sum, z) => sum + expectedOf(z, 0, flightFrom, flightTo), 0);
      if (whole > 0) {
        parts = shared.map((z) => [z, (remaining * expectedOf(z, 0, overlapFrom, overlapTo)) / whole]);
      } else {
        const timeShare = (overlapTo - overlapFrom) / (flightTo - flightFrom);
        parts = shared.map((z) => [z, (remaining * timeShare) / c.zoneIds.length]);
      }
    }
    let booked = 0;
    for (const [z, amount] of parts) {
      const inKind = convert(amount, c.goalKind);
      bookedPerZone.set(z, bookedPerZone.get(z)! + inKind);
      booked += inKind;
    }
    if (booked > 0) bookingsOut.push({ campaignId: c.id, name: c.name, goalKind: c.goalKind, remaining, booked: Math.round(booked) });
  }

  const expected = setTotals[m]!;
  const booked = [...bookedPerZone.values()].reduce((a, b) => a + b, 0);
  const free = Math.max(0, expected - booked);
  let needed: number | null = null;
  if (request.goal) {
    const own = request.excludeCampaignId ? doneOf(done(request.excludeCampaignId), kind) : 0;
    needed = Math.max(0, request.goal.count - own);
  }
  const freeRounded = Math.round(free);
  return {
    kind,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    timeZone: slots.timeZone,
    expected: Math.round(expected),
    booked: Math.round(booked),
    free: freeRounded,
    needed,
    share: needed === null || freeRounded === 0 ? null : needed / free,
    overbooked: needed !== null && needed > 0 && needed > free,
    zonesWithoutHistory: zoneIds.filter((z) => !profiles.get(z)?.hasHistory),
    perZone: zoneIds.map((z, i) => ({ zoneId: z, expected: Math.round(perZoneExpected[i]![m]!), booked: Math.round(bookedPerZone.get(z)!), hasHistory: profiles.get(z)?.hasHistory ?? false })),
    bookings: bookingsOut,
  };
}
