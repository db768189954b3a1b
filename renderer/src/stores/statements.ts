import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Statement, StatementLang } from '../../../common/schemas/statement';
import { apiGet, http } from '../api/client';
import { downloadBlob } from '../composables/download';
import { requestState } from './request-state';

/** Whose statement: a customer's (advertiser) or a site's (publisher). */
export type StatementOwner = { kind: 'customers' | 'sites'; id: string };

const path = (o: StatementOwner, month: string) => `/api/${o.kind}/${encodeURIComponent(o.id)}/statements/${month}`;

/** The monthly statement (invoicing basis) shown on a customer's or site's page, and its downloads. */
export const useStatementStore = defineStore('statements', () => {
  const current = ref<Statement | null>(null);
  const { loading, error, run } = requestState();

  /** Loads the statement of a month for the preview; on failure `current` is empty and `error` says why. */
  async function load(owner: StatementOwner, month: string): Promise<void> {
    current.value = null;
    const s = await run(() => apiGet<Statement>(path(owner, month)));
    if (s) current.value = s;
  }

  /** Downloads the statement as CSV or PDF in the console's language. */
  async function download(owner: StatementOwner, month: string, format: 'csv' | 'pdf', lang: StatementLang): Promise<boolean> {
    const blob = await run(async () => (await http.get<Blob>(`${path(owner, month)}.${format}`, { params: { lang }, responseType: 'blob' })).data);
    if (blob) downloadBlob(blob, `statement-${owner.id}-${month}-${lang}.${format}`);
    return Boolean(blob);
  }

  return { current, loading, error, load, download };
});
