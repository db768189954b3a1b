import type { Page } from '../../common/schemas/paging';
import type { Db } from './database';

/** One optional filter of a list query: SQL condition with `?` placeholders and its values. */
export interface Condition {
  sql: string;
  params: unknown[];
}

/** Escapes LIKE wildcards so that a search for "50%" matches the text "50%". */
export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A search condition over the given columns (case-insensitive substring), or none for an empty query. */
export function searchCondition(q: string | undefined, columns: readonly string[]): Condition | null {
  if (!q) return null;
  const pattern = likePattern(q);
  return { sql: `(${columns.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`, params: columns.map(() => pattern) };
}

/**
 * Runs a paged list query over one table: `table` and `columns` are trusted constants of the repo,
 * everything from the request goes in as parameters. Newest first.
 */
export function pagedSelect<Row, T>(
  db: Db,
  table: string,
  conditions: ReadonlyArray<Condition | null>,
  paging: { limit: number; offset: number },
  toItem: (row: Row) => T,
  columns = '*',
): Page<T> {
  const active = conditions.filter((c): c is Condition => c !== null);
  const where = active.length ? `WHERE ${active.map((c) => c.sql).join(' AND ')}` : '';
  const params = active.flatMap((c) => c.params);
  const total = db.prepare(`SELECT COUNT(*) FROM ${table} ${where}`).pluck().get(...params) as number;
  const rows = db.prepare(`SELECT ${columns} FROM ${table} ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`).all(...params, paging.limit, paging.offset) as Row[];
  return { items: rows.map(toItem), total, limit: paging.limit, offset: paging.offset };
}

/** The `?archived=` filter of a table with an `archived_at` column; none for 'include'. */
export function archivedCondition(filter: 'exclude' | 'include' | 'only'): Condition | null {
  if (filter === 'include') return null;
  return { sql: filter === 'only' ? 'archived_at IS NOT NULL' : 'archived_at IS NULL', params: [] };
}
