import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiGet, apiPatch, apiPost, http } from '../../src/api/client';
import { downloadBlob } from '../../src/composables/download';
import { requestState } from '../../src/stores/request-state';
import type { PortalAccount, PortalAccountPatch, PortalDeletion } from '../../../common/schemas/portal';

/** "My data": the customer's contact data, rectification, the export and the deletion request. */
export const usePortalAccountStore = defineStore('portal-account', () => {
  const account = ref<PortalAccount | null>(null);
  const { loading, error, run } = requestState();

  async function load(): Promise<void> {
    account.value = (await run(() => apiGet<PortalAccount>('/portal-api/account'))) ?? null;
  }

  /** Sends the corrected fields; true when saved (else `error` holds the field details). */
  async function update(patch: PortalAccountPatch): Promise<boolean> {
    const saved = await run(() => apiPatch<PortalAccount>('/portal-api/account', patch));
    if (saved) account.value = saved;
    return Boolean(saved);
  }

  /** Downloads the portability export (JSON) as a file. */
  async function exportData(): Promise<boolean> {
    const res = await run(() => http.get<Blob>('/portal-api/export', { responseType: 'blob' }));
    if (!res) return false;
    const disposition = String(res.headers['content-disposition'] ?? '');
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? 'my-data.json';
    downloadBlob(new Blob([res.data], { type: 'application/json' }), name);
    return true;
  }

  /** Requests deletion: the account is locked at once; the answer says when erasure is due. */
  async function requestDeletion(): Promise<PortalDeletion | undefined> {
    return run(() => apiPost<PortalDeletion>('/portal-api/deletion', { confirm: true }));
  }

  return { account, loading, error, load, update, exportData, requestDeletion };
});
