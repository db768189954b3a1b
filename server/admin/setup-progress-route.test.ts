import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupProgress } from '../../common/schemas/setup-progress';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { refreshIndex } from '../delivery/test/seed';
import { seedCatalog } from '../test/catalog-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let manager: AdminClient;

beforeAll(async () => {
  app = await startTestApp();
  manager = await signInAs(app, 'manager');
});
afterAll(() => app?.dispose());

describe('GET /api/setup-progress', () => {
  it('starts at nothing and follows the catalogue as it is built', async () => {
    const reviewer = await signInAs(app, 'reviewer');
    const empty = (await reviewer.get('/api/setup-progress')).body as SetupProgress;
    expect(empty).toEqual({
      customers: 0, sites: 0, zones: 0, campaigns: 0, creatives: 0, tagServing: false, approversEnrolled: 0, ceremonyDone: false,
      latest: { customerId: null, siteId: null, zoneId: null, zoneSiteId: null, campaignId: null },
    });
    const seeded = await seedCatalog(manager);
    const after = (await manager.get('/api/setup-progress')).body as SetupProgress;
    expect(after).toMatchObject({ customers: 2, sites: 1, zones: 1, campaigns: 1, creatives: 1, tagServing: false });
    expect(after.latest).toEqual({ customerId: after.latest.customerId, siteId: seeded.site.id, zoneId: seeded.zones[0]!.id, zoneSiteId: seeded.site.id, campaignId: seeded.campaign.id });
    expect([seeded.advertiser.id, seeded.publisher.id]).toContain(after.latest.customerId);

    // The tag step is done once the zone's tag asked for an ad and the statistics were written.
    await refreshIndex(app);
    const decision = await fetch(`${app.deliveryUrl}/v1/decision?zone=${seeded.zones[0]!.id}`);
    expect(decision.status).toBe(200);
    app.services.stats.flush();
    expect(((await manager.get('/api/setup-progress')).body as SetupProgress).tagServing).toBe(true);
  });

  it('needs a session', async () => {
    expect((await anonymousClient(app).get('/api/setup-progress')).status).toBe(401);
  });
});
