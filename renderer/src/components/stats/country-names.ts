import { COUNTRY_CODES } from '../../../../common/countries';

const displayNames = new Map<string, Intl.DisplayNames>();

/** The country's name in `locale` from the browser's own data (Intl.DisplayNames): no table in the bundle. */
export function countryName(code: string, locale: string): string {
  let names = displayNames.get(locale);
  if (!names) displayNames.set(locale, (names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' })));
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Every targetable country as an option, sorted by its name in `locale`. */
export function countryOptions(locale: string): Array<{ value: string; label: string }> {
  const collator = new Intl.Collator(locale);
  return COUNTRY_CODES.map((c) => ({ value: c, label: countryName(c, locale) })).sort((a, b) => collator.compare(a.label, b.label));
}

/**
 * `names` plus labels for breakdown keys that are country codes ('' = unknown), so a by-country
 * breakdown shows names; ids of creatives, zones and sites never look like that.
 */
export function withCountryNames(names: ReadonlyMap<string, string>, keys: readonly string[], locale: string, unknown: string): ReadonlyMap<string, string> {
  const extra = keys.filter((k) => !names.has(k) && (k === '' || /^[A-Z]{2}$/.test(k)));
  if (extra.length === 0) return names;
  const out = new Map(names);
  for (const k of extra) out.set(k, k === '' ? unknown : `${countryName(k, locale)} (${k})`);
  return out;
}
