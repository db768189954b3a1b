import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { ConsoleConfig } from '../../../common/schemas/console-config';
import type { CustomerView } from '../../../common/schemas/customer';
import type { Site, SiteCreate, SitePatch } from '../../../common/schemas/site';
import type { Zone, ZoneCreate, ZonePatch } from '../../../common/schemas/zone';
import { apiGet, apiPatch, apiPost } from '../api/client';
import { fetchAll, pagedList } from './paged-list';
import { requestState } from './request-state';

/** Sites/apps and their zones, plus the delivery base URL the zones' ad tags point at. */
export const useSiteStore = defineStore('site', () => {
  const list = reactive(pagedList<Site>('/api/sites'));
  const current = ref<Site | null>(null);
  const zones = ref<Zone[]>([]);
  const owner = ref<CustomerView | null>(null);
  const deliveryBaseUrl = ref<string | null>(null);
  const { loading, error, run } = requestState();

  /** Loads a site with all its zones. */
  async function open(id: string): Promise<void> {
    current.value = null;
    const result = await run(() => Promise.all([apiGet<Site>(`/api/sites/${encodeURIComponent(id)}`), fetchAll<Zone>('/api/zones', { siteId: id, archived: 'include' })]));
    if (result) [current.value, zones.value] = result;
    const customerId = current.value?.customerId;
    owner.value = customerId ? ((await run(() => apiGet<CustomerView>(`/api/customers/${encodeURIComponent(customerId)}`))) ?? null) : null;
  }

  async function loadConfig(): Promise<void> {
    if (deliveryBaseUrl.value) return;
    const config = await run(() => apiGet<ConsoleConfig>('/api/config'));
    if (config) deliveryBaseUrl.value = config.deliveryBaseUrl;
  }

  async function create(input: SiteCreate): Promise<Site | undefined> {
    return run(() => apiPost<Site>('/api/sites', input));
  }

  /** Saves a change to the open site; field problems come back in `error.details`. */
  async function update(id: string, patch: SitePatch): Promise<Site | undefined> {
    const site = await run(() => apiPatch<Site>(`/api/sites/${encodeURIComponent(id)}`, patch));
    if (site) current.value = site;
    return site;
  }

  /** Archives or restores the open site; its zones then serve nothing (or again). */
  async function setArchived(id: string, archive: boolean): Promise<Site | undefined> {
    const site = await run(() => apiPost<Site>(`/api/sites/${encodeURIComponent(id)}/${archive ? 'archive' : 'restore'}`, {}));
    if (site) current.value = site;
    return site;
  }

  async function createZone(input: ZoneCreate): Promise<Zone | undefined> {
    const zone = await run(() => apiPost<Zone>('/api/zones', input));
    if (zone) zones.value = [zone, ...zones.value];
    return zone;
  }

  async function updateZone(id: string, patch: ZonePatch): Promise<Zone | undefined> {
    const zone = await run(() => apiPatch<Zone>(`/api/zones/${encodeURIComponent(id)}`, patch));
    if (zone) zones.value = zones.value.map((z) => (z.id === id ? zone : z));
    return zone;
  }

  /** Archives or restores a zone; it stays in the site's list, marked. */
  async function setZoneArchived(id: string, archive: boolean): Promise<Zone | undefined> {
    const zone = await run(() => apiPost<Zone>(`/api/zones/${encodeURIComponent(id)}/${archive ? 'archive' : 'restore'}`, {}));
    if (zone) zones.value = zones.value.map((z) => (z.id === id ? zone : z));
    return zone;
  }

  return { update, setArchived, updateZone, setZoneArchived, list, current, zones, owner, deliveryBaseUrl, loading, error, open, loadConfig, create, createZone };
});
