import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { Campaign, CampaignCreate, CampaignPatch } from '../../../common/schemas/campaign';
import type { BulkAction, BulkResult } from '../../../common/schemas/lifecycle';
import type { CampaignPrice, PriceChange } from '../../../common/schemas/pricing';
import type { StatsSummary } from '../../../common/schemas/stats';
import { apiGet, apiPatch, apiPost } from '../api/client';
import { pagedList } from './paged-list';
import { requestState } from './request-state';

/** The most days a summary may span (STATS_MAX_RANGE_DAYS.day); longer flights show no progress. */
const SUMMARY_MAX_MS = 400 * 86_400_000;

/** Campaigns: the paged list (filterable by customer and status), the one being viewed with its prices and goal progress, create and edit. */
export const useCampaignStore = defineStore('campaign', () => {
  const list = reactive(pagedList<Campaign>('/api/campaigns'));
  const current = ref<Campaign | null>(null);
  const prices = ref<CampaignPrice[]>([]);
  /** What the current campaign's goal counts so far (served, viewable, clicks); null when unknown. */
  const progress = ref<{ impressions: number; viewable: number; clicks: number } | null>(null);
  const { loading, error, run } = requestState();

  async function open(id: string): Promise<Campaign | null> {
    current.value = null;
    current.value = (await run(() => apiGet<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`))) ?? null;
    return current.value;
  }

  async function create(input: CampaignCreate): Promise<Campaign | undefined> {
    const created = await run(() => apiPost<Campaign>('/api/campaigns', input));
    if (created) current.value = created;
    return created;
  }

  async function update(id: string, patch: CampaignPatch): Promise<Campaign | undefined> {
    const saved = await run(() => apiPatch<Campaign>(`/api/campaigns/${encodeURIComponent(id)}`, patch));
    if (saved) current.value = saved;
    return saved;
  }

  /** Copies the campaign (as a draft) under `name`; the copy becomes the current campaign. */
  async function duplicate(id: string, name: string): Promise<Campaign | undefined> {
    const copy = await run(() => apiPost<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/duplicate`, { name }));
    if (copy) current.value = copy;
    return copy;
  }

  /** Archives or restores (back as paused) the current campaign. */
  async function setArchived(id: string, archive: boolean): Promise<Campaign | undefined> {
    const saved = await run(() => apiPost<Campaign>(`/api/campaigns/${encodeURIComponent(id)}/${archive ? 'archive' : 'restore'}`, {}));
    if (saved) current.value = saved;
    return saved;
  }

  /** One action for many campaigns; each id answers for itself. */
  async function bulk(action: BulkAction, ids: string[]): Promise<BulkResult | undefined> {
    return run(() => apiPost<BulkResult>('/api/campaigns/bulk', { action, ids }));
  }

  async function loadPrices(id: string): Promise<void> {
    prices.value = (await run(() => apiGet<{ items: CampaignPrice[] }>(`/api/campaigns/${encodeURIComponent(id)}/prices`)))?.items ?? [];
  }

  /** Appends a price change, then reloads the campaign (its current price) and the history. */
  async function changePrice(id: string, change: PriceChange): Promise<boolean> {
    const added = await run(() => apiPost<CampaignPrice>(`/api/campaigns/${encodeURIComponent(id)}/prices`, change));
    if (!added) return false;
    await loadPrices(id);
    return true;
  }

  /** Loads the goal's progress from the statistics summary over the flight so far. */
  async function loadProgress(c: Campaign): Promise<void> {
    progress.value = null;
    const from = Date.parse(c.startsAt);
    const to = Math.min(Date.now(), Date.parse(c.endsAt));
    if (!c.goal || to <= from || to - from > SUMMARY_MAX_MS) return;
    const q = new URLSearchParams({ from: c.startsAt, to: new Date(to).toISOString() });
    const summary = await run(() => apiGet<StatsSummary>(`/api/stats/summary?${q}`));
    const t = summary?.campaigns.find((x) => x.campaignId === c.id);
    progress.value = { impressions: t?.served ?? 0, viewable: t?.viewable ?? 0, clicks: t?.clicks ?? 0 };
  }

  return { duplicate, setArchived, bulk, list, current, prices, progress, loading, error, open, create, update, loadPrices, changePrice, loadProgress };
});
