import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { DataRequest, RequestUpdate } from '../../../common/schemas/requests';
import { apiGet, apiPatch, apiPost } from '../api/client';
import { pagedList } from './paged-list';
import { requestState } from './request-state';

/** Contact and data-subject requests: the inbox (soonest deadline first), one request, its handling. */
export const useRequestStore = defineStore('request', () => {
  const list = reactive(pagedList<DataRequest>('/api/requests', 25));
  const current = ref<DataRequest | null>(null);
  const { loading, error, run } = requestState();

  async function open(id: string): Promise<void> {
    current.value = (await run(() => apiGet<DataRequest>(`/api/requests/${encodeURIComponent(id)}`))) ?? null;
  }

  async function update(id: string, change: RequestUpdate): Promise<boolean> {
    const saved = await run(() => apiPatch<DataRequest>(`/api/requests/${encodeURIComponent(id)}`, change));
    if (saved) replace(saved);
    return Boolean(saved);
  }

  async function forward(id: string, customerId: string): Promise<boolean> {
    const saved = await run(() => apiPost<DataRequest>(`/api/requests/${encodeURIComponent(id)}/forward`, { customerId }));
    if (saved) replace(saved);
    return Boolean(saved);
  }

  function replace(saved: DataRequest): void {
    current.value = saved;
    list.page.items = list.page.items.map((r) => (r.id === saved.id ? saved : r));
  }

  return { list, current, loading, error, open, update, forward };
});
