import { loadPackagedTable, type CountryLookup, type CountryTable } from './country-table';
import { openMmdb } from './mmdb-lookup';

let packaged: CountryTable | null = null;

/** The shipped table, loaded once per process (it is immutable; several servers in one process share it). */
export function packagedTable(): CountryTable {
  packaged ??= loadPackagedTable();
  return packaged;
}

/** What start-up reports about the country data. */
export interface CountryLookupInfo {
  lookup: CountryLookup;
  loadMs: number;
  /** Ranges (shipped table) or the file's database type (--geoip-file). */
  detail: string;
}

/**
 * The country lookup of a server: the operator's MaxMind DB file when `geoipFile` is set,
 * otherwise the shipped table. Throws one line when the file is unusable.
 */
export function openCountryLookup(geoipFile: string | undefined): CountryLookupInfo {
  const t0 = performance.now();
  if (geoipFile) {
    const mmdb = openMmdb(geoipFile);
    return { lookup: mmdb, loadMs: performance.now() - t0, detail: `MaxMind DB "${mmdb.databaseType}"` };
  }
  const table = packagedTable();
  return {
    lookup: table,
    loadMs: performance.now() - t0,
    detail: `${table.ipv4Ranges} IPv4 and ${table.ipv6Ranges} IPv6 ranges, ${(table.bytes / 1048576).toFixed(1)} MiB`,
  };
}
