import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role } from '../../../common/roles';
import type { Me, MeWithTotp, SetupInput, SetupStatus, TotpStatus } from '../../../common/schemas/user';
import { apiDelete, apiGet, apiPost, toApiError } from '../api/client';
import { requestState } from './request-state';

/** Who is signed in, whether the store still needs its first admin, sign-in (with a second factor) and sign-out. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<(Me & { totp?: TotpStatus }) | null>(null);
  /** The server asked for the second factor: the sign-in form shows its code step. */
  const codeStep = ref(false);
  const setup = ref<SetupStatus | null>(null);
  const checked = ref(false);
  const { loading, error, run } = requestState();

  const roles = computed<Role[]>(() => user.value?.roles ?? []);
  /** Whether the signed-in user holds any of these roles. */
  const hasAnyRole = (allowed: readonly Role[]) => roles.value.some((r) => allowed.includes(r));
  /** Two-factor sign-in is required of this user and not set up yet: only the account security page works. */
  const enrolmentDue = computed(() => Boolean(user.value?.totp?.required && !user.value.totp.enabled));

  /** Finds out who is signed in (GET /api/me) and, when nobody is, whether first-run setup is due. */
  async function load(): Promise<void> {
    try {
      user.value = await apiGet<MeWithTotp>('/api/me');
    } catch (err) {
      user.value = null;
      if (toApiError(err).status !== 401) error.value = toApiError(err);
    }
    if (!user.value) await loadSetup();
    checked.value = true;
  }

  async function loadSetup(): Promise<void> {
    try {
      setup.value = await apiGet<SetupStatus>('/api/setup');
    } catch {
      setup.value = { needsSetup: false, canSetupHere: false };
    }
  }

  /** Signs in (with the TOTP or a recovery code once the server asked for it); true on success, else `error` says why. */
  async function signIn(email: string, password: string, totp?: string): Promise<boolean> {
    const me = await run(() => apiPost<MeWithTotp>('/api/session', { email, password, ...(totp ? { totp } : {}) }));
    if (error.value?.code === 'totp_required') {
      codeStep.value = true;
      error.value = null;
    }
    if (me) codeStep.value = false;
    return signedIn(me);
  }

  /** Leaves the code step (back to e-mail and password). */
  function cancelCodeStep(): void {
    codeStep.value = false;
    error.value = null;
  }

  /** Re-reads the signed-in user (after enrolling or switching two-factor sign-in off). */
  async function refresh(): Promise<void> {
    const me = await run(() => apiGet<MeWithTotp>('/api/me'));
    if (me) user.value = me;
  }

  /** Creates the first admin account; the server signs them in at once. */
  async function createFirstAdmin(input: SetupInput): Promise<boolean> {
    return signedIn(await run(() => apiPost<Me>('/api/setup', input)));
  }

  function signedIn(me: Me | undefined): boolean {
    if (!me) return false;
    user.value = me;
    setup.value = { needsSetup: false, canSetupHere: false };
    return true;
  }

  /** Signs out on both sides; the local state is cleared even when the server is unreachable. */
  async function signOut(): Promise<void> {
    await run(() => apiDelete('/api/session'));
    forget();
  }

  /** Drops the local session (after a 401). */
  function forget(): void {
    user.value = null;
    codeStep.value = false;
  }

  return { user, setup, checked, loading, error, codeStep, roles, hasAnyRole, enrolmentDue, load, loadSetup, signIn, cancelCodeStep, refresh, createFirstAdmin, signOut, forget };
});
