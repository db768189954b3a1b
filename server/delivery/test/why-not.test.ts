/**
 * whyNot mirrors isEligible: on a table of rules × request facts both must agree (null exactly when eligible),
 * and each failing case names the rule that failed. The table covers every check in the order isEligible asks.
 */
import { describe, expect, it } from 'vitest';
import { CampaignServed } from '../../stats/stats-counters';
import { GOAL_CLICKS, GOAL_SERVED, GOAL_VIEWABLE, isEligible, whyNot, type RequestFacts } from '../decide';
import { DailyVisitorKey } from '../daily-visitor-key';
import { DEVICE_BITS } from '../device-class';
import { DayClock } from '../../../common/local-clock';
import { VisitorCaps, VisitorProbe } from '../visitor-caps';
import type { CampaignRule } from '../zone-snapshot';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 10, 12, 0, 0);

function served(fields: Partial<CampaignServed> = {}): CampaignServed {
  const days = new DayClock('Europe/Berlin');
  const s = new CampaignServed(days);
  s.day = days.dayOf(NOW);
  return Object.assign(s, fields);
}

function rule(fields: Partial<CampaignRule> = {}, targeting: Partial<CampaignRule['targeting']> = {}): CampaignRule {
  return {
    id: 'cmp_a',
    startsAt: NOW - DAY,
    endsAt: NOW + 9 * DAY,
    goal: null,
    goalKind: GOAL_SERVED,
    paceDuration: 0,
    paceSlack: 0,
    dailyCap: null,
    priority: 5,
    weight: 1,
    targeting: { keywords: null, devices: 0, hours: 0, weekdays: 0, countries: null, ...targeting },
    served: served(),
    exclusivityGroup: null,
    visitorCap: null,
    ...fields,
  };
}

const facts = (fields: Partial<RequestFacts> = {}): RequestFacts => ({
  keywords: null,
  device: DEVICE_BITS.desktop,
  nowMs: NOW,
  hour: 14,
  weekday: 3,
  country: 0,
  visitor: null,
  ...fields,
});

const de = new Uint8Array(300);
de[10] = 1;

const key = new DailyVisitorKey();
const caps = new VisitorCaps();
const seenTwice = new VisitorProbe(key, caps).begin('198.51.100.7', 'agent', 'sit_a', NOW);
seenTwice.served('cmp_a');
seenTwice.served('cmp_a');
const newVisitor = new VisitorProbe(key, caps).begin('198.51.100.8', 'agent', 'sit_a', NOW);

// Even pacing of 100 over 10 days, 1 day in: 10 + slack 1 allowed now.
const even = { goal: 100, paceDuration: 10 * DAY, paceSlack: 1 };

const CASES: Array<[string, CampaignRule, RequestFacts, string | null]> = [
  ['plain', rule(), facts(), null],
  ['before the flight', rule({ startsAt: NOW + 1 }), facts(), 'flight_not_started'],
  ['at the flight start', rule({ startsAt: NOW }), facts(), null],
  ['at the flight end', rule({ endsAt: NOW }), facts(), 'flight_ended'],
  ['device matches', rule({}, { devices: DEVICE_BITS.desktop | DEVICE_BITS.mobile }), facts(), null],
  ['device does not match', rule({}, { devices: DEVICE_BITS.mobile }), facts(), 'targeting:devices'],
  ['hour matches', rule({}, { hours: 1 << 14 }), facts(), null],
  ['hour does not match', rule({}, { hours: 1 << 15 }), facts(), 'targeting:hours'],
  ['weekday does not match', rule({}, { weekdays: 1 << 4 }), facts(), 'targeting:weekdays'],
  ['country matches', rule({}, { countries: de }), facts({ country: 10 }), null],
  ['unknown country', rule({}, { countries: de }), facts(), 'targeting:countries'],
  ['keyword matches', rule({}, { keywords: new Set(['sport']) }), facts({ keywords: ['news', 'sport'] }), null],
  ['no keywords sent', rule({}, { keywords: new Set(['sport']) }), facts(), 'targeting:keywords'],
  ['other keywords', rule({}, { keywords: new Set(['sport']) }), facts({ keywords: ['news'] }), 'targeting:keywords'],
  ['below the daily cap', rule({ dailyCap: 3, served: served({ today: 2 }) }), facts(), null],
  ['daily cap reached', rule({ dailyCap: 3, served: served({ today: 3 }) }), facts(), 'daily_cap_reached'],
  ['cap of yesterday', rule({ dailyCap: 3, served: served({ today: 3, day: Math.floor(NOW / DAY) - 1 }) }), facts(), null],
  ['asap goal open', rule({ goal: 5, served: served({ total: 4 }) }), facts(), null],
  ['asap goal reached', rule({ goal: 5, served: served({ total: 5 }) }), facts(), 'goal_reached'],
  ['clicks goal reached', rule({ goal: 5, goalKind: GOAL_CLICKS, served: served({ total: 1, clicks: 5 }) }), facts(), 'goal_reached'],
  ['viewable goal open', rule({ goal: 5, goalKind: GOAL_VIEWABLE, served: served({ total: 50, viewable: 4 }) }), facts(), null],
  ['even pacing behind', rule({ ...even, served: served({ total: 10 }) }), facts(), null],
  ['even pacing ahead', rule({ ...even, served: served({ total: 11 }) }), facts(), 'pacing_ahead'],
  ['visitor under the cap', rule({ visitorCap: 2 }), facts({ visitor: newVisitor }), null],
  ['visitor at the cap', rule({ visitorCap: 2 }), facts({ visitor: seenTwice }), 'visitor_cap_reached'],
  ['cap without a visitor', rule({ visitorCap: 2 }), facts(), null],
  ['first failure wins', rule({ startsAt: NOW + 1, dailyCap: 1, served: served({ today: 1 }) }, { devices: DEVICE_BITS.mobile }), facts(), 'flight_not_started'],
];

describe('whyNot agrees with isEligible', () => {
  it.each(CASES)('%s', (_label, r, f, expected) => {
    const reason = whyNot(r, f);
    const label = reason === null ? null : reason.code === 'targeting' ? `targeting:${String(reason.params.which)}` : reason.code;
    expect(label).toBe(expected);
    expect(isEligible(r, f)).toBe(expected === null);
  });

  it('gives the values behind pacing and goals', () => {
    expect(whyNot(rule({ ...even, served: served({ total: 12 }) }), facts())).toEqual({ code: 'pacing_ahead', params: { done: 12, allowedNow: 11, goal: 100, kind: 'impressions' } });
    expect(whyNot(rule({ dailyCap: 3, served: served({ today: 4 }) }), facts())).toEqual({ code: 'daily_cap_reached', params: { cap: 3, servedToday: 4 } });
  });
});
