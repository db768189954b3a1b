import type { ArchivedFilter } from '../../common/schemas/lifecycle';
import type { Page } from '../../common/schemas/paging';
import type { Site, SiteKind } from '../../common/schemas/site';
import type { Db } from '../store/database';
import { archivedCondition, pagedSelect, searchCondition } from '../store/list-sql';

interface SiteRow {
  id: string;
  customer_id: string;
  name: string;
  domain: string;
  kind: string;
  notes: string;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
}

const toSite = (r: SiteRow): Site => ({
  id: r.id,
  customerId: r.customer_id,
  name: r.name,
  domain: r.domain,
  kind: r.kind as SiteKind,
  notes: r.notes,
  archivedAt: r.archived_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Publishers' sites and apps: the only SQL on the sites table. */
export class SiteRepo {
  constructor(private readonly db: Db) {}

  get(id: string): Site | null {
    const row = this.db.prepare('SELECT * FROM sites WHERE id = ?').get(id) as SiteRow | undefined;
    return row ? toSite(row) : null;
  }

  list(query: { limit: number; offset: number; q?: string; customerId?: string; archived?: ArchivedFilter }): Page<Site> {
    return pagedSelect(
      this.db,
      'sites',
      [
        searchCondition(query.q, ['name', 'domain', 'id']),
        query.customerId ? { sql: 'customer_id = ?', params: [query.customerId] } : null,
        archivedCondition(query.archived ?? 'exclude'),
      ],
      query,
      toSite,
    );
  }

  insert(id: string, s: Pick<Site, 'customerId' | 'name' | 'domain' | 'kind'> & { notes?: string }, at: string): Site {
    this.db
      .prepare('INSERT INTO sites (id, customer_id, name, domain, kind, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, s.customerId, s.name, s.domain, s.kind, s.notes ?? '', at, at);
    return this.get(id)!;
  }

  update(id: string, s: Pick<Site, 'name' | 'domain' | 'kind' | 'notes'>, at: string): Site | null {
    this.db.prepare('UPDATE sites SET name = ?, domain = ?, kind = ?, notes = ?, updated_at = ? WHERE id = ?').run(s.name, s.domain, s.kind, s.notes, at, id);
    return this.get(id);
  }

  /** Archives (`archivedAt` a time) or restores (null). */
  setArchived(id: string, archivedAt: string | null, at: string): Site | null {
    this.db.prepare('UPDATE sites SET archived_at = ?, updated_at = ? WHERE id = ?').run(archivedAt, at, id);
    return this.get(id);
  }
}
