import { ref } from 'vue';
import type { Page } from '../../../common/schemas/paging';
import { apiGet } from '../api/client';
import { requestState } from './request-state';

/** Query of a paged list: paging, search and any filters the endpoint knows. */
export type ListParams = { limit?: number; offset?: number; q?: string } & Record<string, string | number | undefined>;

/** State of one paged, searchable list endpoint (`GET url?limit&offset&q&…` → Page<T>). */
export function pagedList<T>(url: string, defaultLimit = 25) {
  const page = ref<Page<T>>({ items: [], total: 0, limit: defaultLimit, offset: 0 });
  const params = ref<ListParams>({ limit: defaultLimit, offset: 0 });
  const { loading, error, run } = requestState();

  /** Loads a page; `next` is merged into the current query (a new search starts at offset 0). */
  async function load(next: ListParams = {}): Promise<void> {
    params.value = { ...params.value, ...next };
    const result = await run(() => apiGet<Page<T>>(url, params.value));
    if (result) page.value = result as Page<T>;
  }

  return { page, params, loading, error, load };
}

/** Fetches every item of a list (for pickers), page by page up to `max`. */
export async function fetchAll<T>(url: string, filters: Record<string, string | undefined> = {}, max = 1000): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; offset < max; offset += 200) {
    const p = await apiGet<Page<T>>(url, { ...filters, limit: 200, offset });
    items.push(...p.items);
    if (items.length >= p.total || p.items.length === 0) break;
  }
  return items;
}
