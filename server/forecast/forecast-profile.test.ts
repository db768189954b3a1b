import { describe, expect, it } from 'vitest';
import { buildProfiles, expectedIn, WeekSlots } from './forecast';

// Weekday and hour are matched in the operator's time zone: across the switch to summer time, Monday 09:00 in
// Berlin moves from 08:00 to 07:00 UTC, and the forecast follows it.
const HOUR = 3_600_000;
const hourOf = (iso: string) => Date.parse(iso) / HOUR;

describe('profiles in the operator time zone', () => {
  const now = hourOf('2026-03-25T12:00:00Z'); // Wednesday, winter time (UTC+1)
  const rows = ['2026-03-23', '2026-03-16', '2026-03-09', '2026-03-02'].map((day) => ({ zoneId: 'z', hour: hourOf(`${day}T08:00:00Z`), served: 100, viewable: 40, clicks: 2 }));

  it('finds Monday 09:00 Berlin after the clock change at 07:00 UTC', () => {
    const slots = new WeekSlots('Europe/Berlin');
    const p = buildProfiles(['z'], rows, now, slots).get('z')!;
    expect(p.hasHistory).toBe(true);
    // 30 March 2026 is summer time (UTC+2).
    expect(expectedIn(p, 0, Date.parse('2026-03-30T07:00:00Z'), Date.parse('2026-03-30T08:00:00Z'), slots)).toBe(100);
    expect(expectedIn(p, 0, Date.parse('2026-03-30T08:00:00Z'), Date.parse('2026-03-30T09:00:00Z'), slots)).toBe(0);
    expect(expectedIn(p, 1, Date.parse('2026-03-30T07:00:00Z'), Date.parse('2026-03-30T08:00:00Z'), slots)).toBe(40);
  });

  it('in UTC the same history stays at 08:00', () => {
    const slots = new WeekSlots('UTC');
    const p = buildProfiles(['z'], rows, now, slots).get('z')!;
    expect(expectedIn(p, 0, Date.parse('2026-03-30T08:00:00Z'), Date.parse('2026-03-30T09:00:00Z'), slots)).toBe(100);
  });

  it('sums whole weeks from the weekly total and the rest hour by hour', () => {
    const slots = new WeekSlots('UTC');
    const p = buildProfiles(['z'], rows, now, slots).get('z')!;
    const start = Date.parse('2026-03-26T00:00:00Z');
    expect(expectedIn(p, 0, start, start + 10 * 7 * 24 * HOUR, slots)).toBe(1000);
    expect(expectedIn(p, 0, start, start + 10 * 7 * 24 * HOUR + 5 * 24 * HOUR, slots)).toBe(1100);
  });

  it('leaves weeks without any count out of the mean, and a zone without history is marked', () => {
    const slots = new WeekSlots('UTC');
    // Only the most recent week served (a new zone): its 100 is the expectation, not 100·4/10.
    const p = buildProfiles(['z', 'none'], rows.slice(0, 1), now, slots);
    expect(expectedIn(p.get('z')!, 0, Date.parse('2026-03-30T08:00:00Z'), Date.parse('2026-03-30T09:00:00Z'), slots)).toBe(100);
    expect(p.get('none')!.hasHistory).toBe(false);
  });
});
