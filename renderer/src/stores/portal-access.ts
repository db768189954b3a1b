import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiDelete, apiGet, apiPatch, apiPost } from '../api/client';
import { requestState } from './request-state';

/** A customer's portal user as GET /api/customers/:id/portal-users lists them. */
export interface PortalUserItem {
  id: string;
  email: string;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  totpEnabled: boolean;
}

/** An open invitation to a customer's portal. */
export interface PortalInvitationItem {
  id: string;
  email: string;
  expiresAt: string;
  createdAt: string;
}

/** POST /api/customers/:id/portal-invitations: the link to hand over, and whether the server e-mailed it. */
export interface PortalInvitationCreated {
  id: string;
  invitationUrl: string;
  expiresAt: string;
  emailed?: boolean;
}

const enc = encodeURIComponent;

/** A customer's portal access (staff side): its users and open invitations; invite, disable/enable, remove, revoke. */
export const usePortalAccessStore = defineStore('portal-access', () => {
  const customerId = ref<string | null>(null);
  const users = ref<PortalUserItem[]>([]);
  const invitations = ref<PortalInvitationItem[]>([]);
  /** The invitation just created (its link is shown once). */
  const created = ref<PortalInvitationCreated | null>(null);
  const { loading, error, run } = requestState();

  async function load(id: string): Promise<void> {
    if (customerId.value !== id) [users.value, invitations.value, created.value] = [[], [], null];
    customerId.value = id;
    const result = await run(() => apiGet<{ users: PortalUserItem[]; invitations: PortalInvitationItem[] }>(`/api/customers/${enc(id)}/portal-users`));
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

  async function setDisabled(user: PortalUserItem, disabled: boolean): Promise<boolean> {
    return reloadAfter(() => apiPatch<unknown>(`/api/portal-users/${enc(user.id)}`, { disabled }));
  }

  async function remove(user: PortalUserItem): Promise<boolean> {
    return reloadAfter(() => apiDelete(`/api/portal-users/${enc(user.id)}`));
  }

  async function revoke(invitation: PortalInvitationItem): Promise<boolean> {
    return reloadAfter(() => apiDelete(`/api/portal-invitations/${enc(invitation.id)}`));
  }

  async function reloadAfter(call: () => Promise<unknown>): Promise<boolean> {
    const done = await run(async () => (await call(), true));
    if (done && customerId.value) await load(customerId.value);
    return Boolean(done);
  }

  return { customerId, users, invitations, created, loading, error, load, invite, setDisabled, remove, revoke };
});
