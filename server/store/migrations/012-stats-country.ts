import type { Db } from '../database';
import type { Migration } from './index';

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

/**
 * Statistics gain the country dimension: stats_hourly gets a `country` column (ISO 3166-1 alpha-2
 * code of the client address, '' when unknown; never the address) in its key. SQLite cannot
 * change a primary key, so the table is rebuilt: every existing row is kept with country ''.
 * The new table is built from the current one's columns and indexes (not a fixed list), so count
 * columns another migration of the 10–19 range added before this one are carried over as they are.
 */
export const m012StatsCountry: Migration = {
  version: 12,
  name: 'stats-country',
  up: '',
  data(db: Db) {
    const columns = db.prepare("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('stats_hourly')").all() as Column[];
    if (columns.some((c) => c.name === 'country')) return;
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const defs = columns.map((c) => `${quote(c.name)} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ''}`);
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => quote(c.name));
    const names = columns.map((c) => quote(c.name)).join(', ');
    const indexes = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stats_hourly' AND sql IS NOT NULL").pluck().all() as string[]);
    db.exec(`
CREATE TABLE stats_hourly_012 (
  ${defs.join(',\n  ')},
  country TEXT NOT NULL DEFAULT '',   -- ISO 3166-1 alpha-2 of the client's country, '' unknown; never an address
  PRIMARY KEY (${[...key, 'country'].join(', ')})
) WITHOUT ROWID;
INSERT INTO stats_hourly_012 (${names}, country) SELECT ${names}, '' FROM stats_hourly;
DROP TABLE stats_hourly;
ALTER TABLE stats_hourly_012 RENAME TO stats_hourly;
${indexes.map((sql) => `${sql};`).join('\n')}
`);
  },
};
