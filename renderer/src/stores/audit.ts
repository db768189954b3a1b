import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AuditEntry, AuditPage, AuditVerification } from '../../../common/schemas/audit';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** The audit log, newest first, paged by sequence number, and its chain verification. */
export const useAuditStore = defineStore('audit', () => {
  const items = ref<AuditEntry[]>([]);
  const nextBefore = ref<number | null>(null);
  const verification = ref<AuditVerification | null>(null);
  const { loading, error, run } = requestState();

  /** Loads the newest entries (or, with `more`, the next older page). */
  async function load(options: { action?: string; more?: boolean } = {}): Promise<void> {
    const before = options.more ? (nextBefore.value ?? undefined) : undefined;
    const page = await run(() => apiGet<AuditPage>('/api/audit', { limit: 100, before, action: options.action }));
    if (!page) return;
    items.value = options.more ? [...items.value, ...page.items] : page.items;
    nextBefore.value = page.nextBefore;
  }

  async function verify(): Promise<void> {
    verification.value = (await run(() => apiGet<AuditVerification>('/api/audit/verify'))) ?? null;
  }

  return { items, nextBefore, verification, loading, error, load, verify };
});
