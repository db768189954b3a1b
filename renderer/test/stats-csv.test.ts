import { describe, expect, it } from 'vitest';
import { statsCsv } from '../src/components/stats/stats-csv';
import { viewableRateOf } from '../src/components/stats/stats-rows';

const point = (t: string, o: { impressions: number; clicks: number; viewable: number; measurable: number }) => ({ t, served: o.impressions + 1, ...o });

describe('statistics CSV and viewable rate', () => {
  it('has viewable, measurable and viewable_rate (viewable of measurable, empty when nothing was measurable)', () => {
    const series = [
      { key: 'crv_a', points: [point('2025-06-02T00:00:00.000Z', { impressions: 10, clicks: 1, viewable: 3, measurable: 8 }), point('2025-06-03T00:00:00.000Z', { impressions: 4, clicks: 0, viewable: 0, measurable: 0 })] },
    ];
    // Points may carry more measures (revenue, reach) than this test names.
    const lines = statsCsv(series as never, 'creative', new Map([['crv_a', 'Banner']])).split('\r\n');
    expect(lines[0]).toBe('creative,name,time,served,impressions,clicks,ctr,viewable,measurable,viewable_rate');
    expect(lines[1]).toBe('crv_a,Banner,2025-06-02T00:00:00.000Z,11,10,1,0.100000,3,8,0.375000');
    expect(lines[2]).toBe('crv_a,Banner,2025-06-03T00:00:00.000Z,5,4,0,0.000000,0,0,');
    expect(viewableRateOf({ viewable: 3, measurable: 8 })).toBe(0.375);
    expect(viewableRateOf({ viewable: 0, measurable: 0 })).toBeNull();
  });
});
