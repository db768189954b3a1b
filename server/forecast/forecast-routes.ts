import { forecastRequestSchema } from '../../common/schemas/forecast';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Router } from '../http/router';
import type { StatsCounters } from '../stats/stats-counters';
import { computeForecast } from './forecast';
import { ForecastRepo } from './forecast-repo';
import { ProfileCache } from './profile-cache';

const HOUR_MS = 3_600_000;

/**
 * POST /api/forecast: expected traffic of a zone set in a range, what booked goals take of it, and what a goal
 * would need. Reads the hourly rollups and the live goal counters; counts and changes nothing.
 */
export function registerForecastRoutes(ctx: AppContext, admin: Router<AdminState>, counters: StatsCounters, timeZone: string): void {
  const repo = new ForecastRepo(ctx.db);
  const cache = new ProfileCache(repo, timeZone);
  adminRoute(admin, 'POST /api/forecast', async ({ req }) => {
    const request = await readJson(req, forecastRequestSchema);
    const known = repo.existingZones(request.zoneIds);
    const missing = request.zoneIds.findIndex((z) => !known.has(z));
    if (missing >= 0) {
      throw new HttpError(400, 'validation_failed', 'A zone of the forecast does not exist.', [{ path: `zoneIds.${missing}`, message: 'No zone with this id.' }]);
    }
    if (request.excludeCampaignId && !repo.campaignExists(request.excludeCampaignId)) {
      throw new HttpError(400, 'validation_failed', 'The campaign to leave out does not exist.', [{ path: 'excludeCampaignId', message: 'No campaign with this id.' }]);
    }
    const nowMs = ctx.now().getTime();
    const nowHour = Math.floor(nowMs / HOUR_MS);
    const bookings = repo.bookedOn(request.zoneIds, request.startsAt, request.endsAt, request.excludeCampaignId ?? null);
    // Booked campaigns' other zones count too: they decide which part of a goal falls on the zones asked about.
    const zones = [...new Set([...request.zoneIds, ...bookings.flatMap((b) => b.zoneIds)])];
    const profiles = await cache.profilesOf(zones, nowHour);
    return computeForecast({ request, nowMs, profiles, slots: cache.slots, bookings, done: (id) => counters.campaign(id) });
  });
}
