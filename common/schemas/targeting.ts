import { z } from 'zod';
import { keyed, matches } from './checks';
import { COUNTRY_CODES } from '../countries';

/** Device classes derived from the user agent at decision time (never stored per person). */
export const DEVICE_CLASSES = ['desktop', 'mobile', 'tablet'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number] | 'other';

/** A contextual keyword: lower-case letters, digits and dashes, as publishers pass them in `kw=`. */
export const keywordSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine(...matches(/^[\p{L}\p{N}][\p{L}\p{N}-]{0,39}$/u, 'keyword', 'Keywords are 1–40 letters, digits or dashes.'));

const COUNTRIES = new Set(COUNTRY_CODES);

/** An ISO 3166-1 alpha-2 country code (upper-cased), one of COUNTRY_CODES. */
export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => COUNTRIES.has(c), keyed('country', 'Use an ISO 3166-1 alpha-2 country code (e.g. DE, AT, CH).'));

/**
 * Contextual targeting of a campaign; every list empty or absent means "any". Hours and weekdays
 * are in the server's configured time zone (default Europe/Berlin); weekday 0 is Sunday. Countries
 * come from the client address at decision time.
 */
export const targetingSchema = z
  .object({
    keywords: z.array(keywordSchema).max(50).optional(),
    devices: z.array(z.enum(DEVICE_CLASSES)).max(3).optional(),
    hours: z.array(z.number().int().min(0).max(23)).max(24).optional(),
    weekdays: z.array(z.number().int().min(0).max(6)).max(7).optional(),
    /** Countries of the client address (looked up, then the address is dropped); a request of unknown country does not match. */
    countries: z.array(countryCodeSchema).max(COUNTRY_CODES.length).optional(),
  })
  .strict();
export type Targeting = z.infer<typeof targetingSchema>;
