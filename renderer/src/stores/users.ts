import { defineStore } from 'pinia';
import { reactive, ref } from 'vue';
import type { SecuritySettings, User, UserCreate, UserPatch } from '../../../common/schemas/user';
import { apiDelete, apiGet, apiPatch, apiPost, http } from '../api/client';
import { pagedList } from './paged-list';
import { requestState } from './request-state';

/** Staff accounts (admin only): list, create, change roles, disable and enable, reset two-factor; the security setting. */
export const useUserStore = defineStore('user', () => {
  const list = reactive(pagedList<User>('/api/users', 50));
  const { loading, error, run } = requestState();

  async function create(input: UserCreate): Promise<User | undefined> {
    const user = await run(() => apiPost<User>('/api/users', input));
    if (user) await list.load();
    return user;
  }

  async function update(id: string, patch: UserPatch): Promise<User | undefined> {
    const user = await run(() => apiPatch<User>(`/api/users/${encodeURIComponent(id)}`, patch));
    if (user) list.page.items = list.page.items.map((u) => (u.id === user.id ? user : u));
    return user;
  }

  /** Removes someone's second factor (a lost phone); their sessions end. */
  async function resetTotp(id: string): Promise<boolean> {
    return (await run(async () => (await apiDelete(`/api/users/${encodeURIComponent(id)}/totp`), true))) ?? false;
  }

  const security = ref<SecuritySettings | null>(null);

  async function loadSecurity(): Promise<void> {
    const settings = await run(() => apiGet<SecuritySettings>('/api/settings/security'));
    if (settings) security.value = settings;
  }

  async function saveSecurity(settings: SecuritySettings): Promise<boolean> {
    const saved = await run(async () => (await http.put<SecuritySettings>('/api/settings/security', settings)).data);
    if (saved) security.value = saved;
    return Boolean(saved);
  }

  return { list, loading, error, create, update, resetTotp, security, loadSecurity, saveSecurity };
});
