import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Page } from '../../../common/schemas/paging';
import { apiGet, apiPatch, apiPost } from '../../src/api/client';
import { fetchAll } from '../../src/stores/paged-list';
import { requestState } from '../../src/stores/request-state';
import type { PortalRequestDetail, PortalRequestItem, PortalRequestStatus, RequestReply } from '../../../common/schemas/portal';

const enc = encodeURIComponent;

/** The requests the agency forwarded to this customer: list, one with its replies, answering, status. */
export const usePortalRequestStore = defineStore('portal-requests', () => {
  const items = ref<PortalRequestItem[] | null>(null);
  const current = ref<PortalRequestDetail | null>(null);
  const replies = ref<RequestReply[]>([]);
  const { loading, error, run } = requestState();

  async function load(): Promise<void> {
    items.value = (await run(() => fetchAll<PortalRequestItem>('/portal-api/requests'))) ?? null;
  }

  async function open(id: string): Promise<void> {
    current.value = null;
    replies.value = [];
    const answer = await run(() =>
      Promise.all([apiGet<PortalRequestDetail>(`/portal-api/requests/${enc(id)}`), apiGet<Pick<Page<RequestReply>, 'items'>>(`/portal-api/requests/${enc(id)}/replies`)]),
    );
    if (!answer) return;
    current.value = answer[0];
    replies.value = answer[1].items;
  }

  /** Sends a reply; true when stored. */
  async function reply(id: string, message: string): Promise<boolean> {
    const done = await run(() => apiPost<unknown>(`/portal-api/requests/${enc(id)}/replies`, { message }));
    if (done === undefined) return false;
    await open(id);
    return true;
  }

  /** Sets the customer's own status of the request. */
  async function setStatus(id: string, status: Exclude<PortalRequestStatus, 'new'>): Promise<boolean> {
    const done = await run(() => apiPatch<unknown>(`/portal-api/requests/${enc(id)}`, { status }));
    if (done === undefined) return false;
    await open(id);
    return true;
  }

  return { items, current, replies, loading, error, load, open, reply, setStatus };
});
