import type { AssetContentType } from '../../common/schemas/asset';
import type { Page } from '../../common/schemas/paging';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition } from '../store/list-sql';

/** An asset's metadata as stored (without its bytes). */
export interface AssetMeta {
  id: string;
  contentType: AssetContentType;
  sha256: string;
  size: number;
  width: number;
  height: number;
  createdAt: string;
}

/** Bytes and what serving them needs. */
export interface AssetFile {
  contentType: AssetContentType;
  sha256: string;
  bytes: Buffer;
}

const META_COLUMNS = 'id, content_type AS contentType, sha256, size, width, height, created_at AS createdAt';

/** Uploaded images: the only SQL on the assets table. */
export class AssetRepo {
  constructor(private readonly db: Db) {}

  get(id: string): AssetMeta | null {
    return (this.db.prepare(`SELECT ${META_COLUMNS} FROM assets WHERE id = ?`).get(id) as AssetMeta | undefined) ?? null;
  }

  file(id: string): AssetFile | null {
    return (this.db.prepare('SELECT content_type AS contentType, sha256, bytes FROM assets WHERE id = ?').get(id) as AssetFile | undefined) ?? null;
  }

  list(query: { limit: number; offset: number; q?: string }): Page<AssetMeta> {
    // Without the bytes: the list must stay light.
    return pagedSelect<AssetMeta, AssetMeta>(this.db, 'assets', [searchCondition(query.q, ['id'])], query, (r) => r, META_COLUMNS);
  }

  insert(a: Omit<AssetMeta, 'createdAt'> & { bytes: Buffer }, at: string): AssetMeta {
    this.db
      .prepare('INSERT INTO assets (id, content_type, sha256, size, width, height, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.contentType, a.sha256, a.size, a.width, a.height, a.bytes, at);
    return this.get(a.id)!;
  }
}
