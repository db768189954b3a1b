import type { Db } from '../store/database';
import { HttpError } from '../http/http-error';
import { sizeLabel } from './catalog-support';
import { ZoneRepo } from './zone-repo';

/**
 * The catalogue's consistency rules between campaigns, zones and creatives: a creative must fit one of its
 * campaign's zones, and a campaign becomes active only with a zone and an active creative that fits one.
 * Zones and creatives that are archived (or whose site is) do not count: they never serve.
 */
export class CampaignRules {
  private readonly zones;
  private readonly activeCreativeSizes;
  private readonly linkedZoneIds;

  constructor(db: Db) {
    this.zones = new ZoneRepo(db);
    this.activeCreativeSizes = db.prepare("SELECT width, height FROM creatives WHERE campaign_id = ? AND status = 'active' AND archived_at IS NULL");
    this.linkedZoneIds = db.prepare('SELECT zone_id FROM campaign_zones WHERE campaign_id = ? ORDER BY rowid').pluck();
  }

  /** The distinct sizes of the usable zones among `zoneIds` (of the campaign's links when not given). */
  zoneSizes(campaignId: string, zoneIds?: readonly string[]): string[] {
    const ids = zoneIds ?? (this.linkedZoneIds.all(campaignId) as string[]);
    return [...new Set(this.zones.usableSizes(ids).map((z) => sizeLabel(z.width, z.height)))];
  }

  /**
   * Refuses a creative of a size none of the campaign's zones has. A campaign without usable zones takes any
   * size: there is nothing to fit yet, and it cannot become active before it has a zone that one fits.
   */
  assertCreativeFits(campaignId: string, width: number, height: number): void {
    const zoneSizes = this.zoneSizes(campaignId);
    if (zoneSizes.length === 0 || zoneSizes.includes(sizeLabel(width, height))) return;
    throw new HttpError(
      409,
      'creative_size_mismatch',
      `This creative (${sizeLabel(width, height)}) fits none of the campaign's zones (${zoneSizes.join(', ')}).`,
      [{ path: 'width', message: `Use one of the zone sizes: ${zoneSizes.join(', ')}.` }],
      undefined,
      { width, height, zoneSizes },
    );
  }

  /** What the campaign lacks to become active, with `zoneIds` as its zones; empty when nothing. */
  missing(campaignId: string, zoneIds?: readonly string[]): Array<'zone' | 'creative'> {
    const sizes = new Set(this.zoneSizes(campaignId, zoneIds));
    const creatives = this.activeCreativeSizes.all(campaignId) as Array<{ width: number; height: number }>;
    const out: Array<'zone' | 'creative'> = [];
    if (sizes.size === 0) out.push('zone');
    const fits = sizes.size === 0 ? creatives.length > 0 : creatives.some((c) => sizes.has(sizeLabel(c.width, c.height)));
    if (!fits) out.push('creative');
    return out;
  }

  /** Refuses to make a campaign active that could not serve: without a usable zone or a fitting active creative. */
  assertCanActivate(campaignId: string, zoneIds?: readonly string[]): void {
    const missing = this.missing(campaignId, zoneIds);
    if (missing.length === 0) return;
    const words = missing.map((m) => (m === 'zone' ? 'a zone' : 'an active creative that fits one of its zones')).join(' and ');
    throw new HttpError(409, 'campaign_incomplete', `The campaign cannot become active without ${words}.`, undefined, undefined, { missing });
  }
}
