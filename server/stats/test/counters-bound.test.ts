import { describe, expect, it } from 'vitest';
import { StatsCounters } from '../stats-counters';

const HOUR = 3_600_000;

describe('statistics counters kept after failed flushes', () => {
  it('merge back into what was counted meanwhile and stay bounded, dropping the oldest hours first', () => {
    const c = new StatsCounters();
    const t0 = Date.parse('2025-06-01T09:00:00Z');
    const keys = [c.key('cmp_a', 'crv_a', 'zon_a', 'sit_a'), c.key('cmp_a', 'crv_b', 'zon_a', 'sit_a')];
    for (let h = 0; h < 3; h++) for (const k of keys) c.served(k, t0 + h * HOUR);
    expect(c.pendingRows).toBe(6);
    const failed = c.drain();
    expect(c.pendingRows).toBe(0);
    c.impression(keys[0]!, t0 + 2 * HOUR); // counted while the flush was failing
    c.restore(failed);
    expect(c.pendingRows).toBe(6);

    expect(c.trim(6)).toBe(0);
    expect(c.trim(3)).toBe(4); // hours 0 and 1: two rows of one served each
    expect(c.pendingRows).toBe(2);
    expect(c.drain().map((d) => [d.hour * 1000 - t0, d.creativeId, d.served, d.impressions]).sort()).toEqual([
      [2 * HOUR, 'crv_a', 1, 1],
      [2 * HOUR, 'crv_b', 1, 0],
    ]);
  });
});
