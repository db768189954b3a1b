import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { PortalInvitationCreated, PortalInvitationSummary, PortalUserList, PortalUserSummary } from '../../../common/schemas/portal-account';
import { apiDelete, apiGet, apiPatch, apiPost } from '../api/client';
import { requestState } from './request-state';

const enc = encodeURIComponent;

/** A customer's portal access (staff side): its users and open invitations; invite, disable/enable, remove, revoke. */
export const usePortalAccessStore = defineStore('portal-access', () => {
  const customerId = ref<string | null>(null);
  const users = ref<PortalUserSummary[]>([]);
  const invitations = ref<PortalInvitationSummary[]>([]);
  /** The invitation just created (its link is shown once). */
  const created = ref<PortalInvitationCreated | null>(null);
  const { loading, error, run } = requestState();

  async function load(id: string): Promise<void> {
    if (customerId.value !== id) [users.value, invitations.value, created.value] = [[], [], null];
    customerId.value = id;
    const result = await run(() => apiGet<PortalUserList>(`/api/customers/${enc(id)}/portal-users`));
    if (result && customerId.value === id) [users.value, invitations.value] = [result.users, result.invitations];
  }

  async function invite(id: string, email: string): Promise<boolean> {
    created.value = null;
    const result = await run(() => apiPost<PortalInvitationCreated>(`/api/customers/${enc(id)}/portal-invitations`, { email }));
    if (!result) return false;
    created.value = result;
    await load(id);
    return true;
  }

  async function setDisabled(user: PortalUserSummary, disabled: boolean): Promise<boolean> {
    return reloadAfter(() => apiPatch<unknown>(`/api/portal-users/${enc(user.id)}`, { disabled }));
  }

  async function remove(user: PortalUserSummary): Promise<boolean> {
    return reloadAfter(() => apiDelete(`/api/portal-users/${enc(user.id)}`));
  }

  async function revoke(invitation: PortalInvitationSummary): Promise<boolean> {
    return reloadAfter(() => apiDelete(`/api/portal-invitations/${enc(invitation.id)}`));
  }

  async function reloadAfter(call: () => Promise<unknown>): Promise<boolean> {
    const done = await run(async () => (await call(), true));
    if (done && customerId.value) await load(customerId.value);
    return Boolean(done);
  }

  return { customerId, users, invitations, created, loading, error, load, invite, setDisabled, remove, revoke };
});
