import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Campaign } from '../../../common/schemas/campaign';
import { apiGet } from '../../src/api/client';
import { operatorTimeZone } from '../../src/composables/operator-zone';
import { fetchAll } from '../../src/stores/paged-list';
import { requestState } from '../../src/stores/request-state';
import type { PortalCampaignDetail, PortalCreative, PortalOverview, PortalSite } from '../../../common/schemas/portal';

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
    // Dates on the portal's pages are the server's days, shown in its zone.
    if (overview.value?.timeZone) operatorTimeZone.value = overview.value.timeZone;
  }

  async function loadCampaigns(): Promise<void> {
    campaigns.value = (await run(() => fetchAll<Campaign>('/portal-api/campaigns'))) ?? null;
  }

  async function openCampaign(id: string): Promise<void> {
    campaign.value = null;
    campaign.value = (await run(() => apiGet<PortalCampaignDetail>(`/portal-api/campaigns/${encodeURIComponent(id)}`))) ?? null;
  }

  async function loadCreatives(): Promise<void> {
    creatives.value = (await run(() => fetchAll<PortalCreative>('/portal-api/creatives'))) ?? null;
  }

  /** The customer's sites with their zones and ad tags (publishers; empty for advertisers). */
  async function loadSites(): Promise<void> {
    sites.value = (await run(() => fetchAll<PortalSite>('/portal-api/sites'))) ?? null;
  }

  return { overview, campaigns, campaign, creatives, sites, loading, error, loadOverview, loadCampaigns, openCampaign, loadCreatives, loadSites };
});
