import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { Campaign, CampaignCreate, CampaignPatch } from '../../../common/schemas/campaign';
import { apiGet, apiPatch, apiPost } from '../api/client';
import { pagedList } from './paged-list';
import { requestState } from './request-state';

/** Campaigns: the paged list (filterable by customer and status), the one being viewed, create and edit. */
export const useCampaignStore = defineStore('campaign', () => {
  const list = reactive(pagedList<Campaign>('/api/campaigns'));
  const current = ref<Campaign | null>(null);
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

  return { list, current, loading, error, open, create, update };
});
