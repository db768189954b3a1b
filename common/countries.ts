/**
 * ISO 3166-1 alpha-2 country codes (the officially assigned ones, plus XK for Kosovo, which the
 * registries and every IP table use), in alphabetical order. A country's number in delivery is its
 * position here plus one; 0 means "unknown". Names come from Intl.DisplayNames, not from a table.
 */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
  'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ' +
  'UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

const NUMBER = new Map(COUNTRY_CODES.map((c, i) => [c, i + 1]));

/** The country's number (1…COUNTRY_CODES.length) for an upper-case alpha-2 code; 0 when it is no known code. */
export function countryNumber(code: string): number {
  return NUMBER.get(code) ?? 0;
}

/** The code of a country number; '' for 0 (unknown) or out of range. */
export function countryCode(n: number): string {
  return n > 0 && n <= COUNTRY_CODES.length ? COUNTRY_CODES[n - 1]! : '';
}
