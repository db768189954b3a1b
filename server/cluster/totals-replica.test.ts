import { describe, expect, it } from 'vitest';
import { DayClock } from '../../common/local-clock';
import { StatsCounters } from '../stats/stats-counters';
import type { RollupDelta } from '../stats/stats-repo';
import type { CampaignTotals } from './cluster-protocol';
import { TotalsReplica } from './totals-replica';

/** A tiny deterministic random source (tests repeat exactly). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const T0 = Date.parse('2026-12-03T10:00:00Z');
const CAMPAIGNS = ['cmp_a', 'cmp_b', 'cmp_c'];

describe('a worker\'s replica of the campaign totals', () => {
  it('is the primary\'s last totals plus what the worker served that they do not include, across random batch and sync orders', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = rng(seed);
      const days = new DayClock('Europe/Berlin');
      const primary = new StatsCounters(days);
      const workers = [0, 1].map(() => {
        const counters = new StatsCounters(days);
        return { counters, replica: new TotalsReplica(counters), seq: 0, queue: [] as Array<{ seq: number; deltas: RollupDelta[] }>, acked: 0, unacked: new Map<number, Map<string, number>>(), unsent: new Map<string, number>() };
      });
      const lastSent = new Map<string, CampaignTotals>();
      const sync = (full: boolean) => {
        const changed: CampaignTotals[] = [];
        for (const [id, c] of primary.campaignTotals()) {
          const t: CampaignTotals = [id, c.day, c.today, c.total, c.viewable, c.clicks];
          const last = lastSent.get(id);
          if (!full && last && last.join() === t.join()) continue;
          lastSent.set(id, t);
          changed.push(t);
        }
        for (const w of workers) w.replica.apply(changed, w.acked);
      };
      sync(true);
      let now = T0;
      for (let step = 0; step < 400; step++) {
        now += Math.floor(random() * 600_000); // up to 66 hours: local midnights pass
        const w = workers[Math.floor(random() * 2)]!;
        const r = random();
        if (r < 0.55) {
          // Serve a decision here.
          const id = CAMPAIGNS[Math.floor(random() * CAMPAIGNS.length)]!;
          w.counters.served(w.counters.key(id, 'crv_x', 'zon_x', 'sit_x'), now);
          w.unsent.set(id, (w.unsent.get(id) ?? 0) + 1);
        } else if (r < 0.7) {
          // Hand a batch over (it travels; the primary applies it later).
          const deltas = w.counters.drain();
          const seq = ++w.seq;
          w.replica.sent(seq, deltas);
          w.queue.push({ seq, deltas });
          w.unacked.set(seq, w.unsent);
          w.unsent = new Map();
        } else if (r < 0.85) {
          // The primary applies the oldest batch in flight.
          const b = w.queue.shift();
          if (b) {
            primary.merge(b.deltas);
            w.acked = b.seq;
          }
        } else sync(false);
        // The invariant after a sync: a worker's total is the primary's (as of the sync) plus its own not yet applied.
        if (r >= 0.85) {
          for (const x of workers) {
            for (const id of CAMPAIGNS) {
              let own = x.unsent.get(id) ?? 0;
              for (const [seq, m] of x.unacked) if (seq > x.acked) own += m.get(id) ?? 0;
              expect(x.counters.campaign(id).total, `seed ${seed} step ${step} ${id}`).toBe((lastSent.get(id)?.[3] ?? 0) + own);
            }
          }
        }
      }
      // Everything handed over and applied, one more sync: every view equals the primary's.
      for (const w of workers) {
        const deltas = w.counters.drain();
        const seq = ++w.seq;
        w.replica.sent(seq, deltas);
        for (const b of [...w.queue, { seq, deltas }]) primary.merge(b.deltas);
        w.queue = [];
        w.acked = seq;
      }
      sync(false);
      for (const id of CAMPAIGNS) {
        const p = primary.campaign(id);
        for (const w of workers) {
          const c = w.counters.campaign(id);
          expect([c.total, c.servedToday(now)], `seed ${seed} ${id}`).toEqual([p.total, p.servedToday(now)]);
        }
      }
    }
  });
});
