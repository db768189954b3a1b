import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AuditEntry, AuditPage, AuditTargetKind, AuditVerification } from '../../../common/schemas/audit';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** The filters of the audit log as GET /api/audit takes them (ISO instants for the time range). */
export interface AuditFilters {
  action?: string;
  actor?: string;
  targetKind?: AuditTargetKind;
  target?: string;
  from?: string;
  to?: string;
}

/** The audit log, newest first, paged by sequence number and filtered on the server, and its chain verification. */
export const useAuditStore = defineStore('audit', () => {
  const items = ref<AuditEntry[]>([]);
  const nextBefore = ref<number | null>(null);
  const verification = ref<AuditVerification | null>(null);
  const filters = ref<AuditFilters>({});
  const { loading, error, run } = requestState();

  /** Loads the newest entries under `filters` (or, with `more`, the next older page under the same filters). */
  async function load(options: { filters?: AuditFilters; more?: boolean } = {}): Promise<void> {
    if (options.filters) filters.value = options.filters;
    const before = options.more ? (nextBefore.value ?? undefined) : undefined;
    const page = await run(() => apiGet<AuditPage>('/api/audit', { limit: 100, before, ...filters.value }));
    if (!page) return;
    items.value = options.more ? [...items.value, ...page.items] : page.items;
    nextBefore.value = page.nextBefore;
  }

  async function verify(): Promise<void> {
    verification.value = (await run(() => apiGet<AuditVerification>('/api/audit/verify'))) ?? null;
  }

  return { items, nextBefore, verification, filters, loading, error, load, verify };
});
