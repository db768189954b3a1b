import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock } from '../../delivery/test/seed';

const clock = testClock('2025-06-01T09:10:00Z');

let app: TestApp;
let analyst: AdminClient;
let ids: { customer: string; other: string; idle: string };

/** One decision in the zone, optionally seen and clicked. */
async function serve(zoneId: string, opts: { seen?: boolean; clicked?: boolean } = {}): Promise<void> {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  const d = (await json(res)) as { impressionUrl: string; clickUrl: string };
  if (opts.seen) await fetch(d.impressionUrl);
  if (opts.clicked) await fetch(d.clickUrl, { redirect: 'manual' });
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  const mine = seed.placement();
  const theirs = seed.placement();
  // The customer has two campaigns in two zones; another customer's campaign runs beside them.
  const zoneB = seed.zone(seed.site(mine.customerId), 300, 250);
  seed.creative(seed.campaign({ customerId: mine.customerId, zoneIds: [mine.zoneId] }));
  seed.creative(seed.campaign({ customerId: mine.customerId, zoneIds: [zoneB] }));
  seed.creative(seed.campaign({ customerId: theirs.customerId, zoneIds: [theirs.zoneId] }));
  ids = { customer: mine.customerId, other: theirs.customerId, idle: seed.customer() };
  await refreshIndex(app);

  await serve(mine.zoneId, { seen: true });
  await serve(zoneB, { seen: true, clicked: true });
  await serve(theirs.zoneId, { seen: true, clicked: true });
  clock.set('2025-06-03T12:00:00Z');
  await serve(mine.zoneId);
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

const totals = (who: AdminClient, id: string, q = 'from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z') => who.get(`/api/customers/${id}/totals?${q}`);

describe('GET /api/customers/:id/totals', () => {
  it("sums exactly the customer's campaigns over the range", async () => {
    const res = await totals(analyst, ids.customer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId: ids.customer, from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T00:00:00.000Z', served: 2, impressions: 2, clicks: 1 });
    expect((await totals(analyst, ids.customer, 'from=2025-06-01&to=2025-06-04')).body).toMatchObject({ served: 3, impressions: 2, clicks: 1 });
    expect((await totals(analyst, ids.other)).body).toMatchObject({ served: 1, impressions: 1, clicks: 1 });
    expect((await totals(analyst, ids.idle)).body).toMatchObject({ served: 0, impressions: 0, clicks: 0 });
  });

  it('refuses unknown customers, bad ranges and callers without a session', async () => {
    expect((await totals(analyst, 'cus_doesnotexist0000')).status).toBe(404);
    expect((await totals(analyst, ids.customer, 'from=2025-06-01')).status).toBe(400);
    expect((await totals(analyst, ids.customer, 'from=2025-06-02&to=2025-06-01')).status).toBe(400);
    expect((await totals(analyst, ids.customer, 'from=2024-01-01&to=2025-06-01')).status).toBe(400);
    expect((await totals(analyst, ids.customer, 'from=2025-06-01&to=2025-06-02&customerId=x')).status).toBe(400);
    expect((await totals(anonymousClient(app), ids.customer)).status).toBe(401);
  });
});
