import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StatsDimension, StatsGranularity, StatsResponse, StatsSummary } from '../../../common/schemas/stats';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** What the statistics view asks for. */
export interface StatsRequest {
  campaignId: string;
  from: string;
  to: string;
  granularity: StatsGranularity;
  by?: StatsDimension;
}

/** Statistics: today's totals for the dashboard, one campaign's series and its breakdown. */
export const useStatsStore = defineStore('stats', () => {
  const summary = ref<StatsSummary | null>(null);
  const series = ref<StatsResponse | null>(null);
  const breakdown = ref<StatsResponse | null>(null);
  const lastRequest = ref<StatsRequest | null>(null);
  const { loading, error, run } = requestState();

  /** Totals per campaign; without a range the server answers for today (UTC) so far. */
  async function loadSummary(range: { from?: string; to?: string } = {}): Promise<StatsSummary | undefined> {
    const result = await run(() => apiGet<StatsSummary>('/api/stats/summary', range));
    if (result) summary.value = result;
    return result;
  }

  /** Loads the campaign's time series and, when `by` is set, the same range split by that dimension. */
  async function load(req: StatsRequest): Promise<void> {
    lastRequest.value = req;
    const { by, ...base } = req;
    const result = await run(() =>
      Promise.all([apiGet<StatsResponse>('/api/stats', base), by ? apiGet<StatsResponse>('/api/stats', { ...base, by }) : Promise.resolve(null)]),
    );
    if (result) [series.value, breakdown.value] = result;
  }

  const previous = ref<StatsResponse | null>(null);

  /**
   * Loads a report: the whole range (chart and totals), the breakdown when `by` is given, and the
   * previous period's totals when `compare` is.
   */
  async function loadReport(req: Record<string, string>, by: string | null, compare: Record<string, string> | null): Promise<void> {
    const result = await run(() =>
      Promise.all([
        apiGet<StatsResponse>('/api/stats', req),
        by ? apiGet<StatsResponse>('/api/stats', { ...req, by }) : Promise.resolve(null),
        compare ? apiGet<StatsResponse>('/api/stats', compare) : Promise.resolve(null),
      ]),
    );
    if (result) [series.value, breakdown.value, previous.value] = result;
  }

  return { summary, series, breakdown, previous, lastRequest, loading, error, loadSummary, load, loadReport };
});
