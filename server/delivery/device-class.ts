import type { DeviceClass } from '../../common/schemas/targeting';

// Small, ordered rules: robots first, then tablets (Android without "Mobile" is a tablet), phones, desktops.
const ROBOT = /bot\b|crawl|spider|slurp|curl\/|wget|python-|headless|lighthouse/i;
const TABLET = /ipad|tablet|playbook|silk\/|kindle|android(?!.*mobi)/i;
const MOBILE = /mobi|iphone|ipod|windows phone|blackberry|opera mini/i;
const DESKTOP = /Windows NT|Macintosh|X11|CrOS|Linux x86_64/;

/** Bits of a device class, so targeting checks are one AND. */
export const DEVICE_BITS: Readonly<Record<DeviceClass, number>> = { desktop: 1, mobile: 2, tablet: 4, other: 8 };

const CACHE_LIMIT = 2_000;
const MAX_CACHED_LENGTH = 512;
/** Only this much of an agent is looked at. */
const MAX_CLASSIFIED_LENGTH = 1_024;
const cache = new Map<string, DeviceClass>();

/** Classifies a user agent (desktop, mobile, tablet or other); only the class is used, never stored per person. */
export function classifyUserAgent(ua: string | undefined): DeviceClass {
  if (!ua) return 'other';
  const hit = cache.get(ua);
  if (hit) return hit;
  // Real agents name their platform early; a cap keeps TABLET's lookahead from going quadratic on a hostile header.
  const s = ua.length > MAX_CLASSIFIED_LENGTH ? ua.slice(0, MAX_CLASSIFIED_LENGTH) : ua;
  const cls: DeviceClass = ROBOT.test(s) ? 'other' : TABLET.test(s) ? 'tablet' : MOBILE.test(s) ? 'mobile' : DESKTOP.test(s) ? 'desktop' : 'other';
  if (ua.length <= MAX_CACHED_LENGTH) {
    // A bounded cache: real traffic has few distinct agents; a flood of random ones just resets it.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(ua, cls);
  }
  return cls;
}
