import type { Page } from '../../common/schemas/paging';
import type { Zone, ZoneCreate } from '../../common/schemas/zone';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition } from '../store/list-sql';

interface ZoneRow {
  id: string;
  site_id: string;
  name: string;
  width: number;
  height: number;
  created_at: string;
  updated_at: string;
}

const toZone = (r: ZoneRow): Zone => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  width: r.width,
  height: r.height,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Placements: the only SQL on the zones table. */
export class ZoneRepo {
  constructor(private readonly db: Db) {}

  get(id: string): Zone | null {
    const row = this.db.prepare('SELECT * FROM zones WHERE id = ?').get(id) as ZoneRow | undefined;
    return row ? toZone(row) : null;
  }

  /** Which of `ids` exist. */
  existing(ids: readonly string[]): Set<string> {
    const stmt = this.db.prepare('SELECT 1 FROM zones WHERE id = ?');
    return new Set(ids.filter((id) => stmt.get(id) !== undefined));
  }

  list(query: { limit: number; offset: number; q?: string; siteId?: string }): Page<Zone> {
    return pagedSelect(
      this.db,
      'zones',
      [searchCondition(query.q, ['name', 'id']), query.siteId ? { sql: 'site_id = ?', params: [query.siteId] } : null],
      query,
      toZone,
    );
  }

  insert(id: string, z: ZoneCreate, at: string): Zone {
    this.db
      .prepare('INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(id, z.siteId, z.name, z.width, z.height, at, at);
    return this.get(id)!;
  }

  update(id: string, z: Pick<Zone, 'name' | 'width' | 'height'>, at: string): Zone | null {
    this.db.prepare('UPDATE zones SET name = ?, width = ?, height = ?, updated_at = ? WHERE id = ?').run(z.name, z.width, z.height, at, id);
    return this.get(id);
  }
}
