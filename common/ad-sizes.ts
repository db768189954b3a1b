/**
 * Standard ad sizes (IAB New Ad Portfolio fixed sizes and the long-established ones publishers still sell),
 * the zone form's presets. Names are the industry's own, the same in every language.
 */
export const STANDARD_AD_SIZES = [
  { width: 300, height: 250, name: 'Medium Rectangle' },
  { width: 728, height: 90, name: 'Leaderboard' },
  { width: 160, height: 600, name: 'Wide Skyscraper' },
  { width: 300, height: 600, name: 'Half Page' },
  { width: 320, height: 50, name: 'Mobile Leaderboard' },
  { width: 320, height: 100, name: 'Large Mobile Banner' },
  { width: 970, height: 250, name: 'Billboard' },
  { width: 970, height: 90, name: 'Large Leaderboard' },
  { width: 336, height: 280, name: 'Large Rectangle' },
  { width: 120, height: 600, name: 'Skyscraper' },
  { width: 300, height: 50, name: 'Mobile Banner' },
  { width: 250, height: 250, name: 'Square' },
  { width: 200, height: 200, name: 'Small Square' },
  { width: 468, height: 60, name: 'Full Banner' },
  { width: 300, height: 1050, name: 'Portrait' },
] as const;
export type StandardAdSize = (typeof STANDARD_AD_SIZES)[number];

/** The standard size with these dimensions, if any. */
export function standardSize(width: number, height: number): StandardAdSize | undefined {
  return STANDARD_AD_SIZES.find((s) => s.width === width && s.height === height);
}
