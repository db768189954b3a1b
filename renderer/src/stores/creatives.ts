import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Asset, AssetContentType } from '../../../common/schemas/asset';
import type { Creative, CreativeCreate, CreativePatch } from '../../../common/schemas/creative';
import { apiPatch, apiPost } from '../api/client';
import { fetchAll } from './paged-list';
import { requestState } from './request-state';

/** The creatives of one campaign, image upload (raw body, with progress), create and pause/resume. */
export const useCreativeStore = defineStore('creative', () => {
  const items = ref<Creative[]>([]);
  const uploadProgress = ref<number | null>(null);
  const { loading, error, run } = requestState();

  async function load(campaignId: string): Promise<void> {
    items.value = [];
    items.value = (await run(() => fetchAll<Creative>('/api/creatives', { campaignId }))) ?? [];
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

  async function update(id: string, patch: CreativePatch): Promise<void> {
    const saved = await run(() => apiPatch<Creative>(`/api/creatives/${encodeURIComponent(id)}`, patch));
    if (saved) items.value = items.value.map((c) => (c.id === saved.id ? saved : c));
  }

  return { items, uploadProgress, loading, error, load, upload, create, update };
});
