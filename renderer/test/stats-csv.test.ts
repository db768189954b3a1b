import { describe, expect, it } from 'vitest';
import type { StatsPoint } from '../../common/schemas/stats';
import { statsCsv } from '../src/components/stats/stats-csv';
import { STATS_COLUMNS, visibleColumns } from '../src/components/stats/stats-columns';
import { viewableRateOf } from '../src/components/stats/stats-rows';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

const point = (t: string, o: Omit<StatsPoint, 't' | 'served'>): StatsPoint => ({ t, served: o.impressions + 1, ...o });

describe('statistics CSV, table columns and viewable rate', () => {
  it('writes every measure: counts, rates of what was counted (empty when nothing was), reach only where it applies, revenue', () => {
    const series = [
      {
        key: 'crv_a',
        points: [
          point('2025-06-02T00:00:00.000Z', { impressions: 10, clicks: 1, viewable: 3, measurable: 8, reach: 7, revenue: 0.25 }),
          point('2025-06-03T00:00:00.000Z', { impressions: 4, clicks: 0, viewable: 0, measurable: 0, reach: null, revenue: 0 }),
        ],
      },
    ];
    const lines = statsCsv(series, 'creative', new Map([['crv_a', 'Banner']])).split('\r\n');
    expect(lines[0]).toBe('creative,name,time,served,impressions,viewable,measurable,viewable_rate,clicks,ctr,reach,revenue_eur');
    expect(lines[1]).toBe('crv_a,Banner,2025-06-02T00:00:00.000Z,11,10,3,8,0.375000,1,0.100000,7,0.25');
    expect(lines[2]).toBe('crv_a,Banner,2025-06-03T00:00:00.000Z,5,4,0,0,,0,0.000000,,0');
    expect(viewableRateOf({ viewable: 3, measurable: 8 })).toBe(0.375);
    expect(viewableRateOf({ viewable: 0, measurable: 0 })).toBeNull();
  });

  it('shows reach only where some row has it, and names every column in both languages', () => {
    const row = { label: 'x', served: 1, impressions: 1, clicks: 0, viewable: 0, measurable: 0, revenue: 0 };
    expect(visibleColumns([{ ...row, reach: null }]).map((c) => c.id)).not.toContain('reach');
    expect(visibleColumns([{ ...row, reach: 3 }]).map((c) => c.id)).toContain('reach');
    for (const messages of [de, en]) {
      const stats = messages.stats as Record<string, unknown>;
      for (const c of STATS_COLUMNS) {
        expect(typeof stats[c.id], c.id).toBe('string');
        if (c.hint) expect(typeof stats[c.hint], c.hint).toBe('string');
      }
    }
  });
});
