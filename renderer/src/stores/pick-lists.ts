import { defineStore } from 'pinia';
import { ref, type Ref } from 'vue';
import type { Campaign } from '../../../common/schemas/campaign';
import type { Creative } from '../../../common/schemas/creative';
import type { CustomerView } from '../../../common/schemas/customer';
import type { Site } from '../../../common/schemas/site';
import type { User } from '../../../common/schemas/user';
import type { Zone } from '../../../common/schemas/zone';
import { fetchAll } from './paged-list';
import { requestState } from './request-state';

/**
 * Whole lists for pickers and for naming ids (customers, sites, zones, campaigns, a campaign's
 * creatives, staff accounts). A failed load keeps the last list and sets `error`, which the view
 * or picker shows.
 */
export const usePickListStore = defineStore('pickLists', () => {
  const customers = ref<CustomerView[]>([]);
  const sites = ref<Site[]>([]);
  const zones = ref<Zone[]>([]);
  const campaigns = ref<Campaign[]>([]);
  const creatives = ref<Creative[]>([]);
  const users = ref<User[]>([]);
  const { loading, error, run } = requestState();

  /** Loads one list into `target`; resolves to it (the previous items after a failure). */
  async function fill<T>(target: Ref<T[]>, url: string, filters: Record<string, string | undefined> = {}): Promise<T[]> {
    const items = await run(() => fetchAll<T>(url, filters));
    if (items) target.value = items;
    return target.value;
  }

  return {
    customers,
    sites,
    zones,
    campaigns,
    creatives,
    users,
    loading,
    error,
    loadCustomers: () => fill(customers, '/api/customers'),
    loadSites: () => fill(sites, '/api/sites'),
    loadZones: () => fill(zones, '/api/zones'),
    loadCampaigns: () => fill(campaigns, '/api/campaigns'),
    loadCreatives: (campaignId: string) => fill(creatives, '/api/creatives', { campaignId }),
    loadAllCreatives: () => fill(creatives, '/api/creatives'),
    loadUsers: () => fill(users, '/api/users'),
  };
});
