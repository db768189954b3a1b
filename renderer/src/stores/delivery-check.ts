import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Campaign } from '../../../common/schemas/campaign';
import type { CampaignDeliveryCheck, CampaignDeliveryCheckAnswer, DeliveryCheckList } from '../../../common/schemas/delivery-check';
import type { CampaignTotals, StatsSummary } from '../../../common/schemas/stats';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** The longest range a summary may span (STATS_MAX_RANGE_DAYS.day). */
const SUMMARY_MAX_MS = 400 * 86_400_000;

/**
 * Delivery status and traffic for the campaign list (one check of all campaigns, one statistics summary for the
 * page) and the full check of the campaign being viewed.
 */
export const useDeliveryCheckStore = defineStore('delivery-check', () => {
  const checks = ref(new Map<string, CampaignDeliveryCheck>());
  const totals = ref(new Map<string, CampaignTotals>());
  const current = ref<CampaignDeliveryCheckAnswer | null>(null);
  const { loading, error, run } = requestState();

  async function loadList(): Promise<void> {
    const list = await run(() => apiGet<DeliveryCheckList>('/api/campaigns/delivery-check'));
    checks.value = new Map((list?.items ?? []).map((c) => [c.campaignId, c]));
  }

  /**
   * Totals of the listed campaigns from their earliest start until now: nothing is counted outside a flight, so
   * each campaign's totals are those of its flight so far (capped at the longest range a summary allows).
   */
  async function loadTotals(campaigns: readonly Campaign[]): Promise<void> {
    const now = Date.now();
    const starts = campaigns.map((c) => Date.parse(c.startsAt)).filter((t) => t < now);
    if (starts.length === 0) {
      totals.value = new Map();
      return;
    }
    const from = Math.max(Math.min(...starts), now - SUMMARY_MAX_MS + 3_600_000);
    const summary = await run(() => apiGet<StatsSummary>('/api/stats/summary', { from: new Date(from).toISOString(), to: new Date(now).toISOString() }));
    totals.value = new Map((summary?.campaigns ?? []).map((t) => [t.campaignId, t]));
  }

  async function open(campaignId: string): Promise<void> {
    current.value = null;
    current.value = (await run(() => apiGet<CampaignDeliveryCheckAnswer>(`/api/campaigns/${encodeURIComponent(campaignId)}/delivery-check`))) ?? null;
  }

  return { checks, totals, current, loading, error, loadList, loadTotals, open };
});
