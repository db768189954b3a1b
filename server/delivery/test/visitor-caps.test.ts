import { describe, expect, it } from 'vitest';
import { DailyVisitorKey, hashWords } from '../daily-visitor-key';
import { DayClock } from '../../../common/local-clock';
import { VisitorCaps, VisitorProbe } from '../visitor-caps';

const T = Date.parse('2025-06-02T23:59:59Z');

describe('the daily visitor key', () => {
  it('hashes address, user agent and site apart, stays stable within a day and changes with the day', () => {
    // UTC days here; local midnight of another zone: time-zone.test.ts.
    const key = new DailyVisitorKey(new DayClock('UTC'));
    expect(key.hasKey).toBe(false);
    const h = key.hash(T, '192.0.2.1', 'UA', 'sit_a');
    expect(key.hasKey).toBe(true);
    expect(h).toHaveLength(8);
    expect(key.hash(T - 3_600_000, '192.0.2.1', 'UA', 'sit_a')).toBe(h);
    // Each part counts, and the separators keep "a‖bc" and "ab‖c" apart.
    const others = [key.hash(T, '192.0.2.2', 'UA', 'sit_a'), key.hash(T, '192.0.2.1', 'UB', 'sit_a'), key.hash(T, '192.0.2.1', 'UA', 'sit_b'), key.hash(T, '192.0.2.1', undefined, 'sit_a')];
    expect(new Set([h, ...others]).size).toBe(5);
    expect(key.hash(T, '1', '23', 's')).not.toBe(key.hash(T, '12', '3', 's'));
    let replaced = 0;
    key.onReplaced = () => replaced++;
    const tomorrow = key.hash(T + 1_000, '192.0.2.1', 'UA', 'sit_a');
    expect(tomorrow).not.toBe(h);
    expect(replaced).toBe(1);
    // A fresh key (a restart) gives other hashes on the same day too.
    expect(new DailyVisitorKey().hash(T, '192.0.2.1', 'UA', 'sit_a')).not.toBe(h);
    key.wipe();
    expect(key.hasKey).toBe(false);
    expect(hashWords('\x01\x02\x03\x04\xff\xfe\xfd\xfc')).toEqual([0x01020304, 0xfffefdfc]);
  });
});

describe('per-visitor caps', () => {
  it('count per campaign and visitor, fail open when full (counting the overflow) and forget everything on wipe', () => {
    const caps = new VisitorCaps(3);
    const probe = new VisitorProbe(new DailyVisitorKey(), caps);
    probe.begin('192.0.2.1', 'UA', 'sit_a', T);
    expect(probe.allows('cmp_a', 2)).toBe(true);
    probe.served('cmp_a');
    probe.served('cmp_a');
    expect(probe.allows('cmp_a', 2)).toBe(false);
    expect(probe.allows('cmp_b', 2)).toBe(true);
    // Another site of the same page is another visitor hash.
    expect(probe.site('sit_b').allows('cmp_a', 2)).toBe(true);
    probe.served('cmp_a');
    probe.served('cmp_b');
    expect(caps.size).toBe(3);
    probe.begin('192.0.2.9', 'UA', 'sit_a', T);
    probe.served('cmp_a');
    expect(caps.size).toBe(3);
    expect(caps.overflows).toBe(1);
    expect(probe.allows('cmp_a', 1)).toBe(true); // not in the full table: served
    caps.wipe();
    expect(caps.size).toBe(0);
    expect(probe.begin('192.0.2.1', 'UA', 'sit_a', T).allows('cmp_a', 2)).toBe(true);
  });
});
