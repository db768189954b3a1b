import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Asset, AssetContentType } from '../../../common/schemas/asset';
import type { Creative, CreativeCreate, CreativePatch } from '../../../common/schemas/creative';
import { apiPatch, apiPost } from '../api/client';
import { fetchAll } from './paged-list';
import { requestState } from './request-state';

/** The creatives of one campaign (archived ones too, marked), image upload (raw body, with progress), create, edit, archive/restore. */
export const useCreativeStore = defineStore('creative', () => {
  const items = ref<Creative[]>([]);
  const uploadProgress = ref<number | null>(null);
  const { loading, error, run } = requestState();

  async function load(campaignId: string): Promise<void> {
    items.value = [];
    items.value = (await run(() => fetchAll<Creative>('/api/creatives', { campaignId, archived: 'include' }))) ?? [];
  }

  /** Uploads an image file as the raw request body; `uploadProgress` goes 0–100 meanwhile. */
  async function upload(file: File): Promise<Asset | undefined> {
    uploadProgress.value = 0;
    try {
      return await run(() =>
        apiPost<Asset>('/api/assets', file, {
          headers: { 'content-type': file.type as AssetContentType },
          onUploadProgress: (e) => {
            if (e.total) uploadProgress.value = Math.round((e.loaded / e.total) * 100);
          },
        }),
      );
    } finally {
      uploadProgress.value = null;
    }
  }

  async function create(input: CreativeCreate): Promise<Creative | undefined> {
    const created = await run(() => apiPost<Creative>('/api/creatives', input));
    if (created) items.value = [created, ...items.value];
    return created;
  }

  /** Saves a change (status, texts, a same-size image); field problems come back in `error.details`. */
  async function update(id: string, patch: CreativePatch): Promise<Creative | undefined> {
    const saved = await run(() => apiPatch<Creative>(`/api/creatives/${encodeURIComponent(id)}`, patch));
    if (saved) items.value = items.value.map((c) => (c.id === saved.id ? saved : c));
    return saved;
  }

  /** Archives or restores a creative; it stays in the list, marked. */
  async function setArchived(id: string, archive: boolean): Promise<Creative | undefined> {
    const saved = await run(() => apiPost<Creative>(`/api/creatives/${encodeURIComponent(id)}/${archive ? 'archive' : 'restore'}`, {}));
    if (saved) items.value = items.value.map((c) => (c.id === saved.id ? saved : c));
    return saved;
  }

  return { items, uploadProgress, loading, error, load, upload, create, update, setArchived };
});
