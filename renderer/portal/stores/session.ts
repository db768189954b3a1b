import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiDelete, apiGet, apiPost, toApiError } from '../../src/api/client';
import { requestState } from '../../src/stores/request-state';
import type { InvitationInfo, PortalMe } from '../../../common/schemas/portal-account';

/** Why the user was signed out, shown on the sign-in page (i18n key under portal.signIn). */
export type SignedOutReason = 'deletionRequested' | 'expired' | null;

/** The signed-in customer user, sign-in (with the TOTP step), invitations and sign-out. */
export const usePortalSessionStore = defineStore('portal-session', () => {
  const user = ref<PortalMe | null>(null);
  const checked = ref(false);
  /** The server asked for the second factor: the sign-in form shows its code step. */
  const codeStep = ref(false);
  const signedOutReason = ref<SignedOutReason>(null);
  const { loading, error, run } = requestState();

  /** Finds out who is signed in (GET /portal-api/me). */
  async function load(): Promise<void> {
    try {
      user.value = await apiGet<PortalMe>('/portal-api/me');
    } catch (err) {
      user.value = null;
      if (toApiError(err).status !== 401) error.value = toApiError(err);
    }
    checked.value = true;
  }

  /** Re-reads the signed-in user (after turning TOTP on or off). */
  async function refresh(): Promise<void> {
    const me = await run(() => apiGet<PortalMe>('/portal-api/me'));
    if (me) user.value = me;
  }

  /** Signs in; on 401 totp_required the form switches to its code step. True on success. */
  async function signIn(email: string, password: string, totp?: string): Promise<boolean> {
    signedOutReason.value = null;
    const me = await run(() => apiPost<PortalMe>('/portal-api/session', { email, password, ...(totp ? { totp } : {}) }));
    if (error.value?.code === 'totp_required') {
      codeStep.value = true;
      error.value = null;
    }
    if (!me) return false;
    codeStep.value = false;
    user.value = me;
    return true;
  }

  /** Leaves the code step (back to e-mail and password). */
  function cancelCodeStep(): void {
    codeStep.value = false;
    error.value = null;
  }

  /** What an invitation link is for (customer name and e-mail); undefined when it is not valid (see `error`). */
  function checkInvitation(token: string): Promise<InvitationInfo | undefined> {
    return run(() => apiPost<InvitationInfo>('/portal-api/invitations/check', { token }));
  }

  /** Accepts an invitation with the new password; the server signs the new user in. */
  async function acceptInvitation(token: string, password: string): Promise<boolean> {
    signedOutReason.value = null;
    const accepted = await run(() => apiPost<{ user: PortalMe }>('/portal-api/invitations/accept', { token, password }));
    if (!accepted) return false;
    user.value = accepted.user;
    return true;
  }

  /** Signs out on both sides; the local state is cleared even when the server is unreachable. */
  async function signOut(reason: SignedOutReason = null): Promise<void> {
    await run(() => apiDelete('/portal-api/session'));
    forget(reason);
  }

  /** Drops the local session (after a 401, or once the account was locked). */
  function forget(reason: SignedOutReason = null): void {
    user.value = null;
    codeStep.value = false;
    signedOutReason.value = reason;
  }

  return { user, checked, codeStep, signedOutReason, loading, error, load, refresh, signIn, cancelCodeStep, checkInvitation, acceptInvitation, signOut, forget };
});
