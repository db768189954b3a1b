import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { Page } from '../../../common/schemas/paging';
import type { CaseCreateInput, CaseView, UnsealedRecord } from '../../../common/schemas/cases';
import { apiGet, apiPost, http, toApiError, toEngineError } from '../api/client';
import { downloadBlob } from '../composables/download';
import { pagedList } from './paged-list';
import { requestState } from './request-state';


/** Filters of the records table. */
export interface RecordFilter {
  ip?: string;
  path?: string;
  status?: number;
}

/** Abuse cases: open, follow (poll), approve with the keychain, read and export records, close. */
export const useCaseStore = defineStore('case', () => {
  const list = reactive(pagedList<CaseView>('/api/cases', 25));
  const current = ref<CaseView | null>(null);
  const records = ref<Page<UnsealedRecord> & { truncated?: boolean }>({ items: [], total: 0, limit: 50, offset: 0 });
  const { loading, error, run } = requestState();
  const path = (id: string, rest = '') => `/api/cases/${encodeURIComponent(id)}${rest}`;

  async function open(id: string): Promise<CaseView | undefined> {
    const view = await run(() => apiGet<CaseView>(path(id)));
    if (view) current.value = view;
    return view;
  }

  /** Re-reads the case quietly (for polling during unsealing): no loading flag, errors kept. */
  async function refresh(id: string): Promise<void> {
    try {
      current.value = await apiGet<CaseView>(path(id));
    } catch (err) {
      error.value = toApiError(err);
    }
  }

  async function create(input: CaseCreateInput): Promise<CaseView | undefined> {
    return run(() => apiPost<CaseView>('/api/cases', input));
  }

  async function recordInvolvement(id: string, note: string): Promise<boolean> {
    const view = await run(() => apiPost<CaseView>(path(id, '/customer-involvement'), { note }));
    if (view) current.value = view;
    return Boolean(view);
  }

  /**
   * Approves with the desktop keychain: the page names only the case. The main process fetches the
   * case and its key from the server itself, shows them in a native confirmation, re-wraps this
   * approver's shares and submits them; then the case is read again.
   */
  async function approveWithKeychain(id: string): Promise<boolean> {
    const engine = window.engine;
    if (!engine) return false;
    const view = await run(async () => {
      await engine.cases.approve(id).catch((err: unknown) => Promise.reject(toEngineError(err)));
      return apiGet<CaseView>(path(id));
    });
    if (view) current.value = view;
    return Boolean(view);
  }

  async function loadRecords(id: string, paging: { limit: number; offset: number }, filter: RecordFilter): Promise<void> {
    const page = await run(() => apiGet<Page<UnsealedRecord> & { truncated?: boolean }>(path(id, '/records'), { ...paging, ...filter }));
    if (page) records.value = page;
  }

  /** Downloads the case's records as CSV (the server audits the export). */
  async function exportCsv(id: string): Promise<boolean> {
    const blob = await run(async () => (await http.get<Blob>(path(id, '/export'), { params: { format: 'csv' }, responseType: 'blob' })).data);
    if (blob) downloadBlob(blob, `${id}.csv`);
    return Boolean(blob);
  }

  async function close(id: string): Promise<boolean> {
    const view = await run(() => apiPost<CaseView>(path(id, '/close'), {}));
    if (view) current.value = view;
    return Boolean(view);
  }

  return { list, current, records, loading, error, open, refresh, create, recordInvolvement, approveWithKeychain, loadRecords, exportCsv, close };
});
