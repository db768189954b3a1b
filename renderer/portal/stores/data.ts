import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiGet } from '../../src/api/client';
import { requestState } from '../../src/stores/request-state';
import { listOf, type PortalCampaignDetail, type PortalCreative, type PortalOverview, type PortalSite } from '../api/types';
import type { Campaign } from '../../../common/schemas/campaign';

const enc = encodeURIComponent;

/** What the customer sees of their business: overview, campaigns, creatives, sites. Read-only. */
export const usePortalDataStore = defineStore('portal-data', () => {
  const overview = ref<PortalOverview | null>(null);
  const campaigns = ref<Campaign[] | null>(null);
  const campaign = ref<PortalCampaignDetail | null>(null);
  const creatives = ref<PortalCreative[] | null>(null);
  const sites = ref<PortalSite[] | null>(null);
  const { loading, error, run } = requestState();

  async function loadOverview(): Promise<void> {
    overview.value = (await run(() => apiGet<PortalOverview>('/portal-api/overview'))) ?? null;
  }

  async function loadCampaigns(): Promise<void> {
    const answer = await run(() => apiGet<unknown>('/portal-api/campaigns'));
    campaigns.value = answer === undefined ? null : listOf<Campaign>(answer, 'campaigns');
  }

  async function openCampaign(id: string): Promise<void> {
    campaign.value = null;
    campaign.value = (await run(() => apiGet<PortalCampaignDetail>(`/portal-api/campaigns/${enc(id)}`))) ?? null;
  }

  async function loadCreatives(): Promise<void> {
    const answer = await run(() => apiGet<unknown>('/portal-api/creatives'));
    creatives.value = answer === undefined ? null : listOf<PortalCreative>(answer, 'creatives');
  }

  /** The sites with their zones (the list, then each site's detail when the list leaves the zones out). */
  async function loadSites(): Promise<void> {
    const answer = await run(async () => {
      const list = listOf<PortalSite>(await apiGet<unknown>('/portal-api/sites'), 'sites');
      return Promise.all(list.map(async (s) => (s.zones ? s : apiGet<PortalSite>(`/portal-api/sites/${enc(s.id)}`))));
    });
    sites.value = answer ?? null;
  }

  return { overview, campaigns, campaign, creatives, sites, loading, error, loadOverview, loadCampaigns, openCampaign, loadCreatives, loadSites };
});
