import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Campaign } from '../../../common/schemas/campaign';
import type { CasesWaiting } from '../../../common/schemas/cases';
import type { Page } from '../../../common/schemas/paging';
import type { DataRequest } from '../../../common/schemas/requests';
import type { SetupProgress } from '../../../common/schemas/setup-progress';
import type { StatsPoint, StatsResponse } from '../../../common/schemas/stats';
import { presetRange, reportRequest, noFilters } from '../components/stats/report-query';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** Which parts of the dashboard the signed-in roles may see (each part is one API call). */
export interface DashboardParts {
  campaigns: boolean;
  approvals: boolean;
  requests: boolean;
  /** The 7-day trend of all campaigns (statistics roles). */
  trend: boolean;
}

/**
 * The dashboard's own figures: running campaigns, cases awaiting my approval, requests due soon.
 * Each part loads on its own, so one refusal does not hide the others; the first error is shown.
 */
export const useDashboardStore = defineStore('dashboard', () => {
  const active = ref<Campaign[]>([]);
  const approvalsWaiting = ref<number | null>(null);
  const requestsDue = ref<number | null>(null);
  const progress = ref<SetupProgress | null>(null);
  const trend = ref<StatsPoint[] | null>(null);
  const parts = [requestState(), requestState(), requestState(), requestState(), requestState()] as const;
  const error = computed(() => parts.map((p) => p.error.value).find((e) => e !== null) ?? null);

  /** Loads the parts the roles may see; resolves when all have answered or failed. */
  async function load(want: DashboardParts, now = Date.now()): Promise<void> {
    const [campaigns, approvals, requests, setup, days] = parts;
    await Promise.all([
      want.campaigns && campaigns.run(() => apiGet<Page<Campaign>>('/api/campaigns', { status: 'active', limit: 10 })).then((p) => p && (active.value = p.items)),
      want.approvals && approvals.run(() => apiGet<CasesWaiting>('/api/cases/waiting-for-me')).then((w) => w && (approvalsWaiting.value = w.count)),
      want.requests && requests.run(() => countDueWithin(7, now)).then((n) => n !== undefined && (requestsDue.value = n)),
      setup.run(() => apiGet<SetupProgress>('/api/setup-progress')).then((p) => p && (progress.value = p)),
      want.trend && days.run(() => lastSevenDays(new Date(now))).then((p) => p && (trend.value = p)),
    ]);
  }

  return { active, approvalsWaiting, requestsDue, progress, trend, error, load };
});

/** Open data-subject requests whose deadline falls within `days`. */
async function countDueWithin(days: number, now: number): Promise<number> {
  const dueBefore = new Date(now + days * 86_400_000).toISOString();
  const page = await apiGet<Page<DataRequest>>('/api/requests', { dueBefore, limit: 200 });
  return page.items.filter((r) => r.status !== 'closed').length;
}

/** Daily points of all campaigns over the last 7 local days, today included (the statistics page's preset). */
async function lastSevenDays(today: Date): Promise<StatsPoint[]> {
  const answer = await apiGet<StatsResponse>('/api/stats', reportRequest({ ...presetRange('last7', today), granularity: 'day', filters: noFilters() }));
  return answer.series[0]?.points ?? [];
}
