import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZonePreview } from '../../../common/schemas/zone-preview';
import { anonymousClient, signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { refreshIndex, Seeder } from './seed';

// The zone preview over HTTP: the delivery's rules choose for a keyword set; nothing is counted.
let app: TestApp;
let manager: AdminClient;
let zoneId: string;
let sport: { campaignId: string; creativeId: string };
let fallback: { campaignId: string; creativeId: string };

beforeAll(async () => {
  app = await startTestApp();
  const seed = new Seeder(app.ctx.db);
  const p = seed.placement();
  zoneId = p.zoneId;
  const sportCampaign = seed.campaign({ zoneIds: [zoneId], priority: 8, targeting: { keywords: ['sport'] } });
  sport = { campaignId: sportCampaign, creativeId: seed.creative(sportCampaign, { alt: 'Sport ad', landingUrl: 'https://sport.example/shoes' }) };
  const fallbackCampaign = seed.campaign({ zoneIds: [zoneId], priority: 2 });
  fallback = { campaignId: fallbackCampaign, creativeId: seed.creative(fallbackCampaign, { alt: 'House ad', landingUrl: 'https://house.example/' }) };
  app.ctx.db.prepare("UPDATE campaigns SET name = 'Sport week' WHERE id = ?").run(sportCampaign);
  await refreshIndex(app);
  manager = await signInAs(app, 'manager');
}, 60_000);

afterAll(async () => {
  await app?.dispose();
});

const preview = async (query: string, client = manager): Promise<ZonePreview> => {
  const res = await client.get(`/api/zones/${zoneId}/preview${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ZonePreview;
};

/** Everything a decision, impression, view or click would change: the rollups, the seen-decision sets and the goal counters. */
function countState() {
  app.services.stats.flush();
  const db = app.ctx.db;
  return {
    stats: db.prepare('SELECT COUNT(*) AS rows, COALESCE(SUM(served), 0) AS served, COALESCE(SUM(impressions), 0) AS impressions FROM stats_hourly').get(),
    seen: db.prepare('SELECT COUNT(*) AS n FROM delivery_seen_marks').get(),
    counters: [sport, fallback].map((c) => ({ ...app.services.stats.counters.campaign(c.campaignId) })),
  };
}

describe('zone preview', () => {
  it('chooses by keyword with the delivery rules', async () => {
    const withSport = await preview('?kw=Sport,news');
    expect(withSport.keywords).toEqual(['sport', 'news']);
    expect(withSport.chosen).toMatchObject({ campaignId: sport.campaignId, campaignName: 'Sport week', creativeId: sport.creativeId, alt: 'Sport ad', landingUrl: 'https://sport.example/shoes', chance: 1 });
    expect(withSport.eligible.map((c) => [c.creativeId, c.chance])).toEqual([[sport.creativeId, 1], [fallback.creativeId, 0]]);
    expect(withSport.pageUrl).toContain(`creative=${sport.creativeId}`);

    const without = await preview('?kw=news');
    expect(without.chosen).toMatchObject({ creativeId: fallback.creativeId, chance: 1 });
    expect(without.ineligible).toBe(1);
    expect((await preview('')).chosen?.creativeId).toBe(fallback.creativeId);
  });

  it('renders the chosen creative without pixels or tokens, under the ad policy', async () => {
    const { pageUrl } = await preview('?kw=sport');
    const res = await manager.get(pageUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('sandbox allow-same-origin allow-popups');
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('allow-scripts');
    const page = res.body as string;
    expect(page).toContain('alt="Sport ad"');
    expect(page).toContain('href="https://sport.example/shoes"');
    expect(page).toMatch(/src="\/api\/assets\/ast_[a-z2-7]{16}\/content"/);
    // The image it links loads with the session, from this listener.
    const image = await manager.get(/src="([^"]+)"/.exec(page)![1]!);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/gif');
    expect(page).not.toMatch(/\/v1\/(imp|view|click)\//);
    // A creative the request may not be shown is not rendered.
    expect((await manager.get(`/api/zones/${zoneId}/preview?kw=news&format=html&creative=${sport.creativeId}`)).status).toBe(404);
  });

  it('counts nothing, where a real placement does', async () => {
    const before = countState();
    for (let i = 0; i < 5; i++) {
      const { pageUrl } = await preview('?kw=sport');
      expect((await manager.get(pageUrl!)).status).toBe(200);
    }
    expect(countState()).toEqual(before);
    // The same measure sees a real iframe placement's decision.
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${zoneId}/frame?kw=sport`)).status).toBe(200);
    expect(countState()).not.toEqual(before);
  });

  it('refuses bad input and unknown zones; analysts may preview, reviewers may not', async () => {
    for (const q of ['?kw=a%20b', '?device=fridge', '?country=XX', '?country=de', '?format=pdf', '?foo=1']) {
      const res = await manager.get(`/api/zones/${zoneId}/preview${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toBe('validation_failed');
    }
    expect((await manager.get('/api/zones/zon_aaaaaaaaaaaaaaaa/preview')).status).toBe(404);
    expect((await (await signInAs(app, 'analyst')).get(`/api/zones/${zoneId}/preview?kw=sport`)).status).toBe(200);
    expect((await (await signInAs(app, 'reviewer')).get(`/api/zones/${zoneId}/preview`)).status).toBe(403);
    expect((await anonymousClient(app).get(`/api/zones/${zoneId}/preview`)).status).toBe(401);
  });
});
