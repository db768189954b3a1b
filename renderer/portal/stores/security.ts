import { defineStore } from 'pinia';
import { ref } from 'vue';
import { apiDelete, apiPost, apiPut } from '../../src/api/client';
import { requestState } from '../../src/stores/request-state';
import type { TotpEnrolment } from '../../../common/schemas/user';
import { usePortalSessionStore } from './session';

/** The customer user's own account security: password change, TOTP on (recovery codes shown once) and off. */
export const usePortalSecurityStore = defineStore('portal-security', () => {
  const enrolment = ref<TotpEnrolment | null>(null);
  const recoveryCodes = ref<string[]>([]);
  const { loading, error, run } = requestState();
  const session = usePortalSessionStore();

  async function changePassword(currentPassword: string, newPassword: string): Promise<boolean> {
    const done = await run(() => apiPut<unknown>('/portal-api/me/password', { currentPassword, newPassword }));
    return done !== undefined;
  }

  async function start(): Promise<void> {
    enrolment.value = (await run(() => apiPost<TotpEnrolment>('/portal-api/me/totp'))) ?? null;
  }

  async function confirm(code: string): Promise<boolean> {
    const result = await run(() => apiPost<{ recoveryCodes: string[] }>('/portal-api/me/totp/confirm', { code }));
    if (!result) return false;
    enrolment.value = null; // the secret leaves memory once it is in the app
    recoveryCodes.value = result.recoveryCodes;
    await session.refresh();
    return true;
  }

  /** Turns TOTP off with the current code (or a recovery code) or the password. */
  async function disable(proof: { code: string } | { password: string }): Promise<boolean> {
    const done = await run(async () => {
      await apiDelete('/portal-api/me/totp', proof);
      return true;
    });
    if (done) await session.refresh();
    return Boolean(done);
  }

  function codesSaved(): void {
    recoveryCodes.value = [];
  }

  function reset(): void {
    enrolment.value = null;
    recoveryCodes.value = [];
    error.value = null;
  }

  return { enrolment, recoveryCodes, loading, error, changePassword, start, confirm, disable, codesSaved, reset };
});
