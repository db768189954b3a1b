import { afterAll, describe, expect, it } from 'vitest';
import { json, refreshIndex, Seeder, testClock } from '../../delivery/test/seed';
import { signInAs } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';

// The statistics flush failing (here a trigger makes every write to the rollups abort, as a full or
// broken database would): counts are kept and retried, /healthz says so, and once writes work
// again every count arrives exactly once.

let app: TestApp;
afterAll(() => app?.dispose());

interface Health {
  ok: boolean;
  problems?: Array<{ component: string; code: string }>;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a failing statistics flush', () => {
  it('keeps the counts, reports it on /healthz, and writes every count exactly once when writes work again', async () => {
    const clock = testClock('2025-06-01T09:10:00Z');
    app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
    const ad = new Seeder(app.ctx.db, clock.now()).simple();
    await refreshIndex(app);
    const analyst = await signInAs(app, 'analyst');
    const adminHealth = async () => (await json(await fetch(`${app.adminUrl}/api/health`))) as Health;
    const decide = async () => {
      const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${ad.zoneId}`);
      expect(res.status).toBe(200);
      return (await json(res)) as { impressionUrl: string };
    };
    const totals = async () => {
      const res = await analyst.get(`/api/stats/summary?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z`);
      expect(res.status).toBe(200);
      return res.body.total as { served: number; impressions: number; clicks: number };
    };

    await decide();
    await waitFor('the first flush', async () => (await totals()).served === 1);

    for (const op of ['INSERT', 'UPDATE']) {
      app.ctx.db.exec(`CREATE TRIGGER test_stats_fail_${op} BEFORE ${op} ON stats_hourly BEGIN SELECT RAISE(ABORT, 'test: the statistics store refuses writes'); END`);
    }
    const pending = [await decide(), await decide()];
    await (await fetch(pending[0]!.impressionUrl)).arrayBuffer();
    await waitFor('the failure to show in /api/health', async () => !!(await adminHealth()).problems?.some((p) => p.component === 'statistics'));

    const degraded = await fetch(`${app.deliveryUrl}/healthz`);
    expect(degraded.status).toBe(503);
    expect(await json(degraded)).toEqual({
      status: 'degraded',
      problems: [{ component: 'statistics', code: 'flush_failed', message: expect.stringMatching(/kept in memory and retried/), since: expect.any(String) }],
    });
    const head = await fetch(`${app.deliveryUrl}/healthz`, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([503, '']);
    // Nothing of the failed flushes reached the rollups, and delivery goes on (a failing flush does not gate it).
    expect(await totals()).toMatchObject({ served: 1, impressions: 0, clicks: 0 });
    await decide();

    for (const op of ['INSERT', 'UPDATE']) app.ctx.db.exec(`DROP TRIGGER test_stats_fail_${op}`);
    await waitFor('/api/health to be ok again', async () => (await adminHealth()).ok);
    expect((await fetch(`${app.deliveryUrl}/healthz`)).status).toBe(200);
    expect(await totals()).toMatchObject({ served: 4, impressions: 1, clicks: 0 });
    // The impression marked during the failure was persisted once too: calling its pixel again counts nothing.
    await (await fetch(pending[0]!.impressionUrl)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 1_200)); // at least one more flush
    expect(await totals()).toMatchObject({ served: 4, impressions: 1, clicks: 0 });
  }, 60_000);
});
