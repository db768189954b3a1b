import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { Customer, CustomerCreate, CustomerPatch, CustomerView } from '../../../common/schemas/customer';
import type { CustomerRetention } from '../../../common/schemas/privacy';
import { apiGet, apiPatch, apiPost } from '../api/client';
import { downloadBlob } from '../composables/download';
import { ACTION_ROLES } from '../access';
import { pagedList } from './paged-list';
import { requestState } from './request-state';
import { useSessionStore } from './session';

/** Customers: the paged list, the one being viewed, create/edit, deletion request and data export. */
export const useCustomerStore = defineStore('customer', () => {
  const list = reactive(pagedList<CustomerView>('/api/customers'));
  const current = ref<CustomerView | null>(null);
  const retention = ref<CustomerRetention | null>(null);
  const { loading, error, run } = requestState();

  async function open(id: string): Promise<void> {
    current.value = null;
    retention.value = null;
    current.value = (await run(() => apiGet<CustomerView>(`/api/customers/${encodeURIComponent(id)}`))) ?? null;
    // When the account is restricted, say when it will be erased (to the roles that may read it).
    if (current.value?.status === 'restricted' && useSessionStore().hasAnyRole(ACTION_ROLES.readCustomerRetention)) {
      retention.value = (await run(() => apiGet<CustomerRetention>(`/api/customers/${encodeURIComponent(id)}/records`))) ?? null;
    }
  }

  async function create(input: CustomerCreate): Promise<Customer | undefined> {
    return run(() => apiPost<Customer>('/api/customers', input));
  }

  async function update(id: string, patch: CustomerPatch): Promise<boolean> {
    const saved = await run(() => apiPatch<Customer>(`/api/customers/${encodeURIComponent(id)}`, patch));
    if (saved) current.value = saved;
    return Boolean(saved);
  }

  /** Restricts the account (locked, no delivery) until retention ends, then it is erased. */
  async function requestDeletion(id: string): Promise<boolean> {
    const done = await run(() => apiPost<CustomerRetention>(`/api/customers/${encodeURIComponent(id)}/deletion`, {}));
    if (!done) return false;
    await open(id);
    retention.value = done;
    return true;
  }

  /** Downloads the customer's data as JSON (portability). */
  async function exportData(id: string): Promise<boolean> {
    const data = await run(() => apiGet<unknown>(`/api/customers/${encodeURIComponent(id)}/export`));
    if (data === undefined) return false;
    downloadBlob(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }), `customer-${id}.json`);
    return true;
  }

  return { list, current, retention, loading, error, open, create, update, requestDeletion, exportData };
});
