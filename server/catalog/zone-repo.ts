import type { ArchivedFilter } from '../../common/schemas/lifecycle';
import type { Page } from '../../common/schemas/paging';
import type { Zone, ZoneCreate } from '../../common/schemas/zone';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition, type Condition } from '../store/list-sql';

interface ZoneRow {
  id: string;
  site_id: string;
  name: string;
  width: number;
  height: number;
  archived_at: string | null;
  size_locked: number;
  created_at: string;
  updated_at: string;
}

const toZone = (r: ZoneRow): Zone => ({
  id: r.id,
  siteId: r.site_id,
  name: r.name,
  width: r.width,
  height: r.height,
  sizeLocked: r.size_locked === 1,
  archivedAt: r.archived_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Served counts are flushed hourly-rolled into stats_hourly; one served decision there fixes the zone's size. */
const COLUMNS = '*, EXISTS (SELECT 1 FROM stats_hourly sh WHERE sh.zone_id = zones.id AND sh.served > 0) AS size_locked';

/** A zone is archived itself or through its site: lists treat both alike. */
const ARCHIVED = '(archived_at IS NOT NULL OR site_id IN (SELECT id FROM sites WHERE archived_at IS NOT NULL))';

function zoneArchivedCondition(filter: ArchivedFilter): Condition | null {
  if (filter === 'include') return null;
  return { sql: filter === 'only' ? ARCHIVED : `NOT ${ARCHIVED}`, params: [] };
}

/** Placements: the only SQL on the zones table. */
export class ZoneRepo {
  constructor(private readonly db: Db) {}

  get(id: string): Zone | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM zones WHERE id = ?`).get(id) as ZoneRow | undefined;
    return row ? toZone(row) : null;
  }

  /** Which of `ids` exist. */
  existing(ids: readonly string[]): Set<string> {
    const stmt = this.db.prepare('SELECT 1 FROM zones WHERE id = ?');
    return new Set(ids.filter((id) => stmt.get(id) !== undefined));
  }

  /** Of `ids`, those archived themselves or through their site. */
  archived(ids: readonly string[]): Set<string> {
    const stmt = this.db.prepare(`SELECT 1 FROM zones WHERE id = ? AND ${ARCHIVED}`);
    return new Set(ids.filter((id) => stmt.get(id) !== undefined));
  }

  /** Sizes of the zones among `ids` that can serve (neither they nor their site archived). */
  usableSizes(ids: readonly string[]): Array<{ width: number; height: number }> {
    const stmt = this.db.prepare(`SELECT width, height FROM zones WHERE id = ? AND NOT ${ARCHIVED}`);
    return ids.map((id) => stmt.get(id) as { width: number; height: number } | undefined).filter((z) => z !== undefined);
  }

  list(query: { limit: number; offset: number; q?: string; siteId?: string; archived?: ArchivedFilter }): Page<Zone> {
    return pagedSelect(
      this.db,
      'zones',
      [
        searchCondition(query.q, ['name', 'id']),
        query.siteId ? { sql: 'site_id = ?', params: [query.siteId] } : null,
        zoneArchivedCondition(query.archived ?? 'exclude'),
      ],
      query,
      toZone,
      COLUMNS,
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

  /** Archives (`archivedAt` a time) or restores (null). */
  setArchived(id: string, archivedAt: string | null, at: string): Zone | null {
    this.db.prepare('UPDATE zones SET archived_at = ?, updated_at = ? WHERE id = ?').run(archivedAt, at, id);
    return this.get(id);
  }
}
