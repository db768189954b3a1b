import { describe, expect, it } from 'vitest';
import { dayStartMs, nextDayStartMs, wallTime } from './local-time';

// Day boundaries are remembered per zone (reports ask for the same days again and again); asked
// again, in another zone, or past the memo's bound, they must stay what Intl says.
describe('remembered day boundaries', () => {
  it('walks a year of Berlin and New York days the same way twice: 23 and 25 hours once each, every start a local midnight', () => {
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      for (let pass = 0; pass < 2; pass++) {
        const lengths = new Map<number, number>();
        let d = dayStartMs(Date.parse('2026-01-01T12:00:00Z'), zone);
        for (let i = 0; i < 365; i++) {
          const next = nextDayStartMs(d, zone);
          const w = wallTime(next, zone);
          expect([w.hour, w.minute, w.second]).toEqual([0, 0, 0]);
          expect(dayStartMs(next + 3_600_000, zone)).toBe(next);
          const h = (next - d) / 3_600_000;
          lengths.set(h, (lengths.get(h) ?? 0) + 1);
          d = next;
        }
        expect(Object.fromEntries(lengths)).toEqual({ 23: 1, 24: 363, 25: 1 });
      }
    }
  });

  it('answers the same after more instants than it keeps', () => {
    const zone = 'Europe/Berlin';
    const spring = Date.parse('2026-03-29T05:00:00Z');
    expect(dayStartMs(spring, zone)).toBe(Date.parse('2026-03-28T23:00:00Z'));
    for (let i = 0; i < 25_000; i++) dayStartMs(spring + i * 1000, zone);
    expect(dayStartMs(spring, zone)).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(nextDayStartMs(Date.parse('2026-03-28T23:00:00Z'), zone)).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });
});
