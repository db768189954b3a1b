import { FORECAST_WEEK_WEIGHTS } from '../../common/schemas/forecast';
import { ProfileBuilder, WeekSlots, type ZoneProfile } from './forecast';
import type { ForecastRepo } from './forecast-repo';

/** Hours of history read per query: the scan yields to other work (delivery shares the thread) between slices. */
const SLICE_HOURS = 6;

/**
 * Zone profiles of the current hour. History moves on only when an hour ends, so every forecast of that hour
 * (the console asks again as a form changes) reuses the profiles of zones already read; a new hour starts afresh.
 * The rollups have no index by zone, so reading a zone means a pass over four weeks of the hour index: it runs
 * in six-hour slices with a yield between them, so no single query holds the event loop long.
 */
export class ProfileCache {
  private hour = -1;
  private profiles = new Map<string, ZoneProfile>();
  private week: WeekSlots;

  constructor(private readonly repo: ForecastRepo, readonly timeZone: string) {
    this.week = new WeekSlots(timeZone);
  }

  /** The slot lookup of the current hour (its memo is dropped with the profiles). */
  get slots(): WeekSlots {
    return this.week;
  }

  /** Profiles of these zones for the hour `nowHour` (hour number), reading only those not yet read this hour. */
  async profilesOf(zoneIds: readonly string[], nowHour: number): Promise<Map<string, ZoneProfile>> {
    if (nowHour !== this.hour) {
      this.hour = nowHour;
      this.profiles = new Map();
      this.week = new WeekSlots(this.timeZone);
    }
    const profiles = this.profiles;
    const missing = zoneIds.filter((z) => !profiles.has(z));
    if (missing.length > 0) {
      const builder = new ProfileBuilder(missing, nowHour, this.week);
      const add = builder.add.bind(builder);
      for (let from = nowHour - FORECAST_WEEK_WEIGHTS.length * 168; from < nowHour; from += SLICE_HOURS) {
        this.repo.scanZoneHours(missing, from, Math.min(from + SLICE_HOURS, nowHour), add);
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const [id, p] of builder.finish()) profiles.set(id, p);
    }
    return new Map(zoneIds.map((z) => [z, profiles.get(z)!]));
  }
}
