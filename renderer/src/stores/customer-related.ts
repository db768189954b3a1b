import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Campaign } from '../../../common/schemas/campaign';
import type { Site } from '../../../common/schemas/site';
import type { CustomerTotals } from '../../../common/schemas/stats';
import { apiGet } from '../api/client';
import { fetchAll } from './paged-list';
import { requestState } from './request-state';

const DAY_MS = 86_400_000;

/** What a customer's page shows beside its fields: its sites, its campaigns and their traffic of the last `days`. */
export const useCustomerRelatedStore = defineStore('customerRelated', () => {
  const customerId = ref<string | null>(null);
  const sites = ref<Site[]>([]);
  const campaigns = ref<Campaign[]>([]);
  const totals = ref<CustomerTotals | null>(null);
  const { loading, error, run } = requestState();

  /** Loads everything for one customer; on failure the lists stay empty and `error` says why. */
  async function load(id: string, days = 30, now = Date.now()): Promise<void> {
    if (customerId.value !== id) [sites.value, campaigns.value, totals.value] = [[], [], null];
    customerId.value = id;
    const range = { from: new Date(now - days * DAY_MS).toISOString(), to: new Date(now).toISOString() };
    const result = await run(() =>
      Promise.all([
        fetchAll<Site>('/api/sites', { customerId: id }),
        fetchAll<Campaign>('/api/campaigns', { customerId: id }),
        apiGet<CustomerTotals>(`/api/customers/${encodeURIComponent(id)}/totals`, range),
      ]),
    );
    if (result && customerId.value === id) [sites.value, campaigns.value, totals.value] = result;
  }

  return { customerId, sites, campaigns, totals, loading, error, load };
});
