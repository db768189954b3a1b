import { defineStore } from 'pinia';
import { reactive } from 'vue';
import type { User, UserCreate, UserPatch } from '../../../common/schemas/user';
import { apiPatch, apiPost } from '../api/client';
import { pagedList } from './paged-list';
import { requestState } from './request-state';

/** Staff accounts (admin only): list, create, change roles, disable and enable. */
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

  return { list, loading, error, create, update };
});
