import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Role } from '../../../common/roles';
import type { Me, SetupInput, SetupStatus } from '../../../common/schemas/user';
import { apiDelete, apiGet, apiPost, toApiError } from '../api/client';
import { requestState } from './request-state';

/** Who is signed in, whether the store still needs its first admin, sign-in and sign-out. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<Me | null>(null);
  const setup = ref<SetupStatus | null>(null);
  const checked = ref(false);
  const { loading, error, run } = requestState();

  const roles = computed<Role[]>(() => user.value?.roles ?? []);
  /** Whether the signed-in user holds any of these roles. */
  const hasAnyRole = (allowed: readonly Role[]) => roles.value.some((r) => allowed.includes(r));

  /** Finds out who is signed in (GET /api/me) and, when nobody is, whether first-run setup is due. */
  async function load(): Promise<void> {
    try {
      user.value = await apiGet<Me>('/api/me');
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

  /** Signs in; true on success, else `error` says why. */
  async function signIn(email: string, password: string): Promise<boolean> {
    return signedIn(await run(() => apiPost<Me>('/api/session', { email, password })));
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
  }

  return { user, setup, checked, loading, error, roles, hasAnyRole, load, loadSetup, signIn, createFirstAdmin, signOut, forget };
});
