/** Image types an asset may have; the bytes must match the declared type. */
export const ASSET_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type AssetContentType = (typeof ASSET_CONTENT_TYPES)[number];

/** Largest asset upload (2 MiB). */
export const ASSET_MAX_BYTES = 2 * 1024 * 1024;

/** An uploaded image, served by the delivery listener at `url`. */
export interface Asset {
  id: string;
  url: string;
  contentType: AssetContentType;
  width: number;
  height: number;
  size: number;
  createdAt: string;
}
