import type { GoalKind } from '../../common/schemas/pricing';
import type { Db } from '../store/database';

/** Counts of one zone in one UTC hour (of one campaign, creative and country: the profile adds them up). */
export interface ZoneHour {
  zoneId: string;
  /** Hour number: unix seconds ÷ 3600. */
  hour: number;
  served: number;
  viewable: number;
  clicks: number;
}

/** A campaign with a goal whose flight overlaps the forecast range in at least one of its zones. */
export interface BookedCampaign {
  id: string;
  name: string;
  goalKind: GoalKind;
  goal: number;
  startsAt: string;
  endsAt: string;
  zoneIds: string[];
}

/** What a forecast reads: zones' hourly history and the goals booked on them. Id lists go in as JSON (json_each), so 500 zones need no 500 placeholders. */
export class ForecastRepo {
  private readonly history;
  private readonly existing;
  private readonly booked;
  private readonly zonesOf;
  private readonly campaign;

  constructor(db: Db) {
    // Read from the hour index that carries the counts (migration 016), no row fetched by key. Not grouped here:
    // a GROUP BY sorts every row in a temporary B-tree, while the profile adds rows of one zone-hour up anyway.
    this.history = db
      .prepare(
        `SELECT zone_id, hour / 3600, served, viewable, clicks
         FROM stats_hourly WHERE hour >= ? AND hour < ? AND zone_id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
    this.existing = db.prepare('SELECT id FROM zones WHERE id IN (SELECT value FROM json_each(?))').pluck();
    // Paused campaigns keep their booking: they are expected to resume. Drafts and archived ones book nothing.
    this.booked = db.prepare(
      `SELECT c.id AS id, c.name AS name, c.goal_kind AS goalKind, c.impression_goal AS goal, c.starts_at AS startsAt, c.ends_at AS endsAt
       FROM campaigns c
       WHERE c.impression_goal IS NOT NULL AND c.status IN ('active', 'paused') AND c.starts_at < ? AND c.ends_at > ? AND c.id IS NOT ?
         AND EXISTS (SELECT 1 FROM campaign_zones cz WHERE cz.campaign_id = c.id AND cz.zone_id IN (SELECT value FROM json_each(?)))
       ORDER BY c.starts_at, c.id`,
    );
    this.zonesOf = db.prepare('SELECT zone_id FROM campaign_zones WHERE campaign_id = ? ORDER BY rowid').pluck();
    this.campaign = db.prepare('SELECT 1 FROM campaigns WHERE id = ?').pluck();
  }

  /** Calls `each` for every rollup row of these zones in [fromHour, toHour) (hour numbers); a zone-hour may come several times. */
  scanZoneHours(zoneIds: readonly string[], fromHour: number, toHour: number, each: (zoneId: string, hour: number, served: number, viewable: number, clicks: number) => void): void {
    for (const r of this.history.iterate(fromHour * 3600, toHour * 3600, JSON.stringify(zoneIds)) as Iterable<[string, number, number, number, number]>) {
      each(r[0], r[1], r[2], r[3], r[4]);
    }
  }

  /** The ids among these that name a zone. */
  existingZones(zoneIds: readonly string[]): Set<string> {
    return new Set(this.existing.all(JSON.stringify(zoneIds)) as string[]);
  }

  campaignExists(id: string): boolean {
    return this.campaign.get(id) !== undefined;
  }

  /** Campaigns with a goal, active or paused, flying within [fromIso, toIso) in any of these zones, but `exceptId`. */
  bookedOn(zoneIds: readonly string[], fromIso: string, toIso: string, exceptId: string | null): BookedCampaign[] {
    const rows = this.booked.all(toIso, fromIso, exceptId, JSON.stringify(zoneIds)) as Array<Omit<BookedCampaign, 'zoneIds'>>;
    return rows.map((r) => ({ ...r, zoneIds: this.zonesOf.all(r.id) as string[] }));
  }
}
