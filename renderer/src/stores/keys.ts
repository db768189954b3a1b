import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { CeremonyInput, KeysStatus } from '../../../common/schemas/keys';
import { apiGet, apiPost, toEngineError } from '../api/client';
import { requestState } from './request-state';

/** Sealing keys and approvers: status, enrolment through the desktop keychain, the ceremony. */
export const useKeyStore = defineStore('key', () => {
  const status = ref<KeysStatus | null>(null);
  const { loading, error, run } = requestState();

  async function load(): Promise<KeysStatus | undefined> {
    const result = await run(() => apiGet<KeysStatus>('/api/keys'));
    if (result) status.value = result;
    return result;
  }

  /**
   * Desktop only: the main process creates (or keeps) the signed-in user's approver identity in the
   * OS keychain, filed under this server's installation id, and registers its public key itself.
   * The identity never leaves the main process.
   */
  async function enrol(): Promise<boolean> {
    const engine = window.engine;
    if (!engine) return false;
    const done = await run(() => engine.keychain.enroll().catch((err: unknown) => Promise.reject(toEngineError(err))));
    if (done !== undefined) await load();
    return done !== undefined;
  }

  async function runCeremony(input: CeremonyInput): Promise<boolean> {
    const done = await run(() => apiPost('/api/keys/ceremony', input));
    if (done !== undefined) await load();
    return done !== undefined;
  }

  return { status, loading, error, load, enrol, runCeremony };
});
