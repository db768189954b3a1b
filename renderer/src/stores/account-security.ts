import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { TotpEnrolment } from '../../../common/schemas/user';
import { http, apiPost } from '../api/client';
import { requestState } from './request-state';
import { useSessionStore } from './session';

/** The signed-in user's own two-factor sign-in: enrolment, confirmation (recovery codes shown once), switching off. */
export const useAccountSecurityStore = defineStore('account-security', () => {
  const enrolment = ref<TotpEnrolment | null>(null);
  /** Shown once after confirming; cleared when the user says they saved them. */
  const recoveryCodes = ref<string[]>([]);
  const { loading, error, run } = requestState();
  const session = useSessionStore();

  async function start(): Promise<boolean> {
    const started = await run(() => apiPost<TotpEnrolment>('/api/me/totp'));
    if (started) enrolment.value = started;
    return Boolean(started);
  }

  async function confirm(code: string): Promise<boolean> {
    const result = await run(() => apiPost<{ recoveryCodes: string[] }>('/api/me/totp/confirm', { code }));
    if (!result) return false;
    enrolment.value = null; // the secret leaves memory once it is in the app
    recoveryCodes.value = result.recoveryCodes;
    await session.refresh();
    return true;
  }

  function codesSaved(): void {
    recoveryCodes.value = [];
  }

  /** Switches off with the current code (or a recovery code) or the password. */
  async function disable(proof: { code: string } | { password: string }): Promise<boolean> {
    const done = await run(async () => {
      await http.delete('/api/me/totp', { data: proof });
      return true;
    });
    if (done) await session.refresh();
    return Boolean(done);
  }

  function reset(): void {
    enrolment.value = null;
    recoveryCodes.value = [];
    error.value = null;
  }

  return { enrolment, recoveryCodes, loading, error, start, confirm, codesSaved, disable, reset };
});
