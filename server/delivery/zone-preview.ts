import { z } from 'zod';
import { countryNumber } from '../../common/countries';
import { zonePreviewCsp } from '../../common/csp';
import type { PreviewCandidate, ZonePreview } from '../../common/schemas/zone-preview';
import { DEVICE_CLASSES } from '../../common/schemas/targeting';
import type { AdminState } from '../admin/admin-route';
import { adminRoute } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { asciiOrigin } from '../http/header-value';
import { parseWith } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { decide, isEligible, type RequestFacts } from './decide';
import type { DeliveryCheckRepo } from './delivery-check';
import { parseKeywords } from './delivery-service';
import { DEVICE_BITS } from './device-class';
import { previewPage } from './frame-page';
import type { LocalClock } from '../../common/local-clock';
import type { Candidate, ZoneSnapshot } from './zone-snapshot';

const querySchema = z.strictObject({
  kw: z.string().max(1000, 'Keywords are at most 1000 characters.').optional(),
  device: z.enum(DEVICE_CLASSES, { error: `The device is one of ${DEVICE_CLASSES.join(', ')}.` }).default('desktop'),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'The country is a two-letter code like DE.')
    .refine((c) => countryNumber(c) > 0, 'Unknown country code.')
    .optional(),
  format: z.enum(['json', 'html'], { error: 'The format is json or html.' }).default('json'),
  creative: z.string().max(40).optional(),
});

/**
 * GET /api/zones/:id/preview: the zone's candidates asked with the delivery's own rules (isEligible, decide)
 * for a keyword set, at this moment, without a visitor (per-visitor caps are not asked). It issues no token and
 * touches no counter, so statistics, caps, pacing and the seen-decision sets stay as they are.
 */
export function registerZonePreview(
  ctx: AppContext,
  admin: Router<AdminState>,
  deps: { snapshot: () => ZoneSnapshot; repo: DeliveryCheckRepo; clock: LocalClock },
): void {
  adminRoute(admin, 'GET /api/zones/:id/preview', ({ res, params, query }) => {
    const zone = deps.repo.zoneById(params.id ?? '');
    if (!zone) throw notFound('The zone');
    const q = parseWith(querySchema, Object.fromEntries(query));
    let keywords: string[] | null;
    try {
      keywords = parseKeywords(q.kw ?? null);
    } catch (err) {
      throw new HttpError(400, 'validation_failed', 'Keywords are comma-separated, 1–40 letters, digits or dashes each, at most 20.', [
        { path: 'kw', message: err instanceof Error ? err.message : 'Malformed keywords.' },
      ]);
    }
    const snapshot = deps.snapshot();
    const nowMs = ctx.now().getTime();
    deps.clock.update(nowMs);
    const country = q.country ? countryNumber(q.country) : 0;
    const facts: RequestFacts = { keywords, device: DEVICE_BITS[q.device], nowMs, hour: deps.clock.hour, weekday: deps.clock.weekday, country, visitor: null };
    const candidates = snapshot.zones.get(zone.id)?.candidates ?? [];
    const eligible = candidates.filter((c) => isEligible(c.rule, facts));
    const top = eligible.reduce((p, c) => Math.max(p, c.rule.priority), -Infinity);
    const total = eligible.reduce((sum, c) => sum + (c.rule.priority === top ? c.weight : 0), 0);
    const names = new Map<string, string>();
    const describe = (c: Candidate): PreviewCandidate => {
      if (!names.has(c.rule.id)) names.set(c.rule.id, deps.repo.campaignById(c.rule.id)?.name ?? '');
      return {
        campaignId: c.rule.id,
        campaignName: names.get(c.rule.id)!,
        creativeId: c.creativeId,
        width: c.creative.width,
        height: c.creative.height,
        alt: c.creative.alt,
        landingUrl: snapshot.creatives.get(c.creativeId)?.landingUrl ?? '',
        chance: c.rule.priority === top ? c.weight / total : 0,
      };
    };

    if (q.format === 'html') {
      // Only a creative this request may be shown renders: the page never shows what the zone would not.
      const pick = eligible.find((c) => c.creativeId === q.creative);
      if (!pick) throw notFound('An eligible creative with this id');
      // A stored image is linked from this listener (signed-in, same origin), so the console's own policy allows it too.
      const assets = `${snapshot.baseUrl}/v1/assets/`;
      const { html, imageUrl: deliveryImage, alt, width, height } = pick.creative;
      const imageUrl = deliveryImage?.startsWith(assets) ? `/api/assets/${encodeURIComponent(deliveryImage.slice(assets.length))}/content` : deliveryImage;
      const page = previewPage({ html, imageUrl, alt, width, height, landingUrl: describe(pick).landingUrl });
      // The ad's policy (no script, sandboxed) replaces the console's; only the console may frame it.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': zonePreviewCsp(asciiOrigin(ctx.deliveryBaseUrl()) ?? "'none'"),
        'x-frame-options': 'SAMEORIGIN',
        'cache-control': 'no-store',
        'content-length': Buffer.byteLength(page),
      });
      res.end(page);
      return;
    }

    const chosen = decide({ id: zone.id, siteId: '', width: zone.width, height: zone.height, candidates: eligible, visitorCapped: false }, facts);
    const answer: ZonePreview = {
      zone,
      keywords: keywords ?? [],
      device: q.device,
      country: q.country ?? '',
      chosen: chosen ? describe(chosen) : null,
      eligible: eligible.map(describe),
      ineligible: candidates.length - eligible.length,
      pageUrl: chosen ? `/api/zones/${zone.id}/preview?${new URLSearchParams({ ...(keywords ? { kw: keywords.join(',') } : {}), device: q.device, ...(q.country ? { country: q.country } : {}), format: 'html', creative: chosen.creativeId })}` : null,
      checkedAt: new Date(nowMs).toISOString(),
    };
    return answer;
  });
}
