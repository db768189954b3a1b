import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { StatsResponse } from '../../../common/schemas/stats';
import { apiGet } from '../../src/api/client';
import type { StatsRequest } from '../../src/stores/stats';
import { requestState } from '../../src/stores/request-state';

/** One campaign's statistics through the portal (the same answer shape as the staff `/api/stats`). */
export const usePortalStatsStore = defineStore('portal-stats', () => {
  const series = ref<StatsResponse | null>(null);
  const breakdown = ref<StatsResponse | null>(null);
  const { loading, error, run } = requestState();

  /** Loads the time series and, when `by` is set, the same range split by that dimension. */
  async function load(req: StatsRequest): Promise<void> {
    const { by, ...base } = req;
    const result = await run(() =>
      Promise.all([apiGet<StatsResponse>('/portal-api/stats', base), by ? apiGet<StatsResponse>('/portal-api/stats', { ...base, by }) : Promise.resolve(null)]),
    );
    if (result) [series.value, breakdown.value] = result;
  }

  function reset(): void {
    series.value = null;
    breakdown.value = null;
    error.value = null;
  }

  return { series, breakdown, loading, error, load, reset };
});
