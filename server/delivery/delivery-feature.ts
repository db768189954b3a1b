import { adminRoute } from '../admin/admin-route';
import type { AppContext, Routers } from '../app-context';
import { openCountryLookup } from '../geo/country-lookup';
import type { StatsService } from '../stats/stats-service';
import { notFound } from '../http/http-error';
import { DailyVisitorKey } from './daily-visitor-key';
import { checkAllCampaigns, checkCampaign, checkZone, DeliveryCheckRepo, type CheckMoment } from './delivery-check';
import { LocalClock } from '../../common/local-clock';
import { CLICK_TTL_HOURS, DeliveryService, IMPRESSION_TTL_HOURS } from './delivery-service';
import { registerDeliveryRoutes } from './delivery-routes';
import { SeenDecisions } from './seen-decisions';
import { SeenDecisionsRepo } from './seen-decisions-repo';
import { loadOrCreateTokenKeys, rotateTokenKeys } from './token-keys';
import { TokenSigner, type TokenKeys } from './tokens';
import { VisitorCaps, VisitorProbe } from './visitor-caps';
import { ZoneIndex } from './zone-index';
import { registerZonePreview } from './zone-preview';

/**
 * Ad delivery: the in-memory zone index, decisions, signed impression and click tokens, the tag,
 * iframe, pixel and click routes on the delivery listener, and the token-key rotation route.
 * Counts go to `stats`; the sets of already-counted decisions are written in its flushes.
 */
export function startDelivery(ctx: AppContext, { delivery, admin }: Routers, stats: StatsService): StartedDelivery {
  let keys = loadOrCreateTokenKeys(ctx.config.dataDir);
  const signer = new TokenSigner(keys);
  const nowMs = () => ctx.now().getTime();
  const seenRepo = new SeenDecisionsRepo(ctx.db);
  const seenImpressions = new SeenDecisions(seenRepo, 0, IMPRESSION_TTL_HOURS, nowMs);
  const seenClicks = new SeenDecisions(seenRepo, 1, CLICK_TTL_HOURS, nowMs);
  // A view beacon is fired by the same page as its impression, so it lives as long.
  const seenViews = new SeenDecisions(seenRepo, 2, IMPRESSION_TTL_HOURS, nowMs);
  const nowSec = Math.floor(nowMs() / 1000);
  for (const seen of [seenImpressions, seenClicks, seenViews]) {
    seen.load(nowSec);
    stats.addParticipant(seen);
  }

  // The zone was checked (and an unknown one reported) once, by the statistics module.
  const clock = new LocalClock(stats.timeZone);
  const index = new ZoneIndex(ctx, stats.counters);
  // The IP→country table (or --geoip-file), in memory before the first decision.
  const geo = openCountryLookup(ctx.config.geoipFile);
  ctx.log.info(`country lookup: ${geo.lookup.source} (${geo.detail}) ready in ${Math.round(geo.loadMs)} ms`);
  // One daily key for reach and per-visitor caps; the caps' counts go with the key at local midnight.
  const visitorKey = new DailyVisitorKey(stats.days);
  const visitorCaps = new VisitorCaps();
  visitorKey.onReplaced = () => {
    if (visitorCaps.overflows > 0) ctx.log.warn('per-visitor caps: the table was full; visitors beyond it were served uncapped', { overflows: visitorCaps.overflows });
    visitorCaps.wipe();
  };
  const reach = stats.reach ? { key: visitorKey, sketches: stats.reach } : null;
  const service = new DeliveryService(ctx, stats, index, signer, clock, { impressions: seenImpressions, clicks: seenClicks, views: seenViews }, geo.lookup, new VisitorProbe(visitorKey, visitorCaps), reach);
  index.onRebuilt = () => {
    service.prune();
    // The key is replaced at first use after midnight anyway; this also drops it on a quiet night.
    visitorKey.replaceIfDue(nowMs());
  };
  ctx.onStop(() => {
    signer.wipe();
    visitorKey.wipe();
    visitorCaps.wipe();
  });

  registerDeliveryRoutes(ctx, delivery, service);

  adminRoute(admin, 'POST /api/delivery/token-key/rotate', (_route, session) => {
    keys = rotateTokenKeys(ctx.config.dataDir, keys);
    signer.setKeys(keys);
    const rotatedAt = ctx.now().toISOString();
    ctx.audit.append({ actor: session.userId, action: 'delivery.token-key.rotate', target: null, details: { previousKeptForVerification: true } });
    ctx.log.info('delivery token key rotated; the previous key still verifies outstanding tokens');
    ctx.events.emit('token-keys-rotated');
    return { rotatedAt };
  });

  // The delivery check: the live index's rules asked "why", read-only; its own clock so it never moves the service's.
  const checkRepo = new DeliveryCheckRepo(ctx.db);
  const checkClock = new LocalClock(clock.timeZone);
  const moment = (): CheckMoment => {
    const nowMs = ctx.now().getTime();
    checkClock.update(nowMs);
    return { nowMs, hour: checkClock.hour, weekday: checkClock.weekday };
  };
  const stamp = (m: CheckMoment) => ({ checkedAt: new Date(m.nowMs).toISOString(), timeZone: clock.timeZone });
  adminRoute(admin, 'GET /api/campaigns/delivery-check', () => {
    const m = moment();
    return { ...stamp(m), items: checkAllCampaigns(checkRepo, index.fresh(), m) };
  });
  adminRoute(admin, 'GET /api/campaigns/:id/delivery-check', ({ params }) => {
    const campaign = checkRepo.campaignById(params.id!);
    if (!campaign) throw notFound('The campaign');
    const m = moment();
    return { ...stamp(m), ...checkCampaign(checkRepo, index.fresh(), campaign, m) };
  });
  adminRoute(admin, 'GET /api/zones/:id/delivery-check', ({ params }) => {
    const m = moment();
    const result = checkZone(checkRepo, index.fresh(), params.id!, m);
    if (!result) throw notFound('The zone');
    return { ...stamp(m), ...result };
  });
  registerZonePreview(ctx, admin, { snapshot: () => index.fresh(), repo: checkRepo, clock: new LocalClock(clock.timeZone) });
  return { visitors: { key: visitorKey, caps: visitorCaps }, service, tokenKeys: () => keys };
}

/** What delivery gives the rest of the server: the visitors (tests), the service and the token keys (delivery workers). */
export interface StartedDelivery {
  visitors: DeliveryVisitors;
  service: DeliveryService;
  /** The HMAC keys tokens are signed and verified with now (sent to delivery workers, again after each rotation). */
  tokenKeys(): TokenKeys;
}

/** The daily visitor key and per-visitor cap counts (App.services.visitors: tests compute a visitor's hash with it). */
export interface DeliveryVisitors {
  key: DailyVisitorKey;
  caps: VisitorCaps;
}
