import { readFileSync } from 'node:fs';
import { Reader, type Response } from 'mmdb-lib';
import { countryNumber } from '../../common/countries';
import type { CountryLookup } from './country-table';

/** The record fields a country database may carry: GeoIP2/GeoLite2 (`country.iso_code`) or ip-location-db (`country_code`). */
type CountryRecord = Response & {
  country?: { iso_code?: string };
  registered_country?: { iso_code?: string };
  country_code?: string;
};

/**
 * A MaxMind DB (.mmdb) file given with --geoip-file, read with mmdb-lib (MIT, no dependencies).
 * The file is read once into memory; lookups walk its search tree.
 */
export class MmdbCountryLookup implements CountryLookup {
  private readonly reader: Reader<CountryRecord>;

  constructor(
    readonly source: string,
    data: Buffer,
  ) {
    this.reader = new Reader<CountryRecord>(data);
  }

  get databaseType(): string {
    return this.reader.metadata.databaseType;
  }

  lookup(ip: string): number {
    let r: CountryRecord | null;
    try {
      r = this.reader.get(ip);
    } catch {
      return 0; // not an address
    }
    if (!r) return 0;
    const code = r.country?.iso_code ?? r.country_code ?? r.registered_country?.iso_code;
    return code ? countryNumber(code.toUpperCase()) : 0;
  }
}

/**
 * Opens a --geoip-file; throws one line naming the file and the reason when it cannot be read,
 * is no MaxMind DB or holds no country data.
 */
export function openMmdb(file: string): MmdbCountryLookup {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new Error(`--geoip-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`, { cause: err });
  }
  let lookup: MmdbCountryLookup;
  try {
    lookup = new MmdbCountryLookup(file, data);
  } catch (err) {
    throw new Error(`--geoip-file ${file}: not a MaxMind DB (.mmdb) file (${oneLine(err)}).`, { cause: err });
  }
  // A country or city database knows where these widely announced resolvers are; an ASN or other database does not.
  if (!PROBES.some((ip) => lookup.lookup(ip) !== 0)) {
    throw new Error(`--geoip-file ${file}: the "${lookup.databaseType}" database names no country for well-known addresses; use a country or city database.`);
  }
  return lookup;
}

const PROBES = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '2001:4860:4860::8888'];
const oneLine = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 200);
