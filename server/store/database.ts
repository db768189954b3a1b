import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

/** File name of the store inside the data directory. */
export const STORE_FILE = 'store.sqlite';

/** Opens (creating if needed) the SQLite store in `dataDir`, in WAL mode, and runs pending migrations. */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, STORE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations);
  return db;
}

/**
 * Pages a worker's connection keeps cached, in KiB (SQLite's default is 2,000). A worker reads the
 * whole catalogue once and then a campaign's rows at a time, through indexes: a small cache costs it
 * nothing, while a full one stays resident in every worker (about 6 MiB with its bookkeeping).
 */
export const READ_ONLY_CACHE_KIB = 256;

/**
 * Opens the store read-only (a delivery worker's view: it reads the catalogue for its zone index and
 * never writes); the primary has created and migrated it.
 */
export function openReadOnlyDatabase(dataDir: string): Db {
  const db = new Database(path.join(dataDir, STORE_FILE), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma(`cache_size = -${READ_ONLY_CACHE_KIB}`);
  return db;
}

/** Applies every migration newer than the store's version, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const seen = new Set<number>();
  let count = 0;
  for (const m of sorted) {
    if (seen.has(m.version)) throw new Error(`Two migrations share version ${m.version}.`);
    seen.add(m.version);
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.up);
      m.data?.(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    count++;
  }
  return count;
}
