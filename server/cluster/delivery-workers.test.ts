import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, seedCatalog, uploadPng } from '../test/catalog-fixture';
import { loadOrCreateTokenKeys } from '../delivery/token-keys';
import { TokenSigner } from '../delivery/tokens';
import { startServeChild } from '../test/serve-child';
import { WORKER_HEAP_GROWING_PERCENT, WORKER_MALLOC_ENV, WORKER_SEMI_SPACE_MB, workerEnv, workerExecArgv } from './delivery-workers';
import { startTestApp, type TestApp } from '../test/test-app';
import { until } from '../../node/test/until';

// `serve --workers 2` over real HTTP: the primary is this test's app (store, admin, sealer, flush);
// its two delivery workers run the built worker bundle (dist/server/delivery-worker.js), forked by
// node:cluster, sharing the port.
// Every request below goes on a connection of its own, so the cluster's round robin spreads them
// over both workers.

/** One request on a fresh connection: status, headers and body. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false, headers, timeout: 5_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      })
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy(new Error(`no answer from ${url} within 5 s`));
      })
      .on('error', reject);
  });
}

/** The rollup's sums for a campaign (after a flush). */
function counts(app: TestApp, campaignId: string): { served: number; impressions: number; clicks: number; viewable: number } {
  app.services.stats.flush();
  return app.ctx.db
    .prepare('SELECT COALESCE(SUM(served),0) AS served, COALESCE(SUM(impressions),0) AS impressions, COALESCE(SUM(clicks),0) AS clicks, COALESCE(SUM(viewable),0) AS viewable FROM stats_hourly WHERE campaign_id = ?')
    .get(campaignId) as { served: number; impressions: number; clicks: number; viewable: number };
}

async function decision(app: TestApp, zoneId: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { decisionId: string; campaignId: string; impressionUrl: string; clickUrl: string; viewUrl: string } | null }> {
  const res = await get(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`, headers);
  return { status: res.status, json: res.status === 200 ? JSON.parse(res.body) : null };
}

/** An active campaign with one 120×600 creative on the zone(s); returns its id. */
async function addCampaign(manager: AdminClient, customerId: string, zoneId: string | string[], name: string, priority: number): Promise<string> {
  const day = 24 * 60 * 60 * 1000;
  const campaign = expectStatus(
    await manager.post('/api/campaigns', {
      customerId, name, priority, zoneIds: Array.isArray(zoneId) ? zoneId : [zoneId], status: 'draft',
      startsAt: new Date(Date.now() - day).toISOString(), endsAt: new Date(Date.now() + 30 * day).toISOString(),
    }),
    201,
  );
  const asset = await uploadPng(manager, 120, 600);
  expectStatus(
    await manager.post('/api/creatives', { campaignId: campaign.id, name: `${name} creative`, width: 120, height: 600, assetId: asset.id, landingUrl: 'https://advertiser.example/offer', alt: 'Test advertisement' }),
    201,
  );
  expectStatus(await manager.patch(`/api/campaigns/${campaign.id}`, { status: 'active' }), 200);
  return campaign.id as string;
}

/** Waits until a zone's ad is served on several fresh connections (the replicas have the change): a probe decision counts as served. */
async function everyWorkerServes(app: TestApp, zoneId: string): Promise<number> {
  let probes = 0;
  await until(async () => {
    const all = await Promise.all(Array.from({ length: 6 }, () => decision(app, zoneId)));
    probes += all.filter((d) => d.status === 200).length;
    return all.every((d) => d.status === 200);
  }, 'every worker serving the zone', 10_000);
  return probes;
}

describe('delivery workers (serve --workers 2)', () => {
  let app: TestApp;
  let manager: AdminClient;

  beforeAll(async () => {
    app = await startTestApp({ deliveryWorkers: 2 });
    manager = await signInAs(app, 'manager');
  }, 60_000);
  afterAll(() => app?.dispose());

  it('runs two worker processes on one port and counts each decision once, whichever worker sees its pixel, view or click', async () => {
    expect(app.workers?.pids()).toHaveLength(2);
    // Each worker runs with the smaller young generation and the old generation's smaller growth
    // factor (values the primary was given are kept) ...
    for (const pid of app.workers!.pids()) {
      expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(
        expect.arrayContaining([`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`, `--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`]),
      );
    }
    expect(workerExecArgv(['--max-semi-space-size=16', '--cpu-prof'])).toEqual(['--max-semi-space-size=16', '--cpu-prof', `--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`]);
    expect(workerExecArgv(['--heap_growing_percent=50'])).toEqual(['--heap_growing_percent=50', `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
    // ... and with glibc's fixed mmap and trim thresholds (values the operator set are kept).
    for (const pid of app.workers!.pids()) {
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      for (const [k, v] of Object.entries(WORKER_MALLOC_ENV)) expect(env).toContain(`${k}=${v}`);
    }
    expect(workerEnv({ MALLOC_TRIM_THRESHOLD_: '0' })).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    const { campaign, zones } = await seedCatalog(manager);
    const probes = await everyWorkerServes(app, zones[0]!.id);
    const decisions = [];
    for (let i = 0; i < 12; i++) {
      const d = await decision(app, zones[0]!.id);
      expect(d.status).toBe(200);
      decisions.push(d.json!);
    }
    // Every URL three times, each on a new connection: both workers see every decision.
    for (const d of decisions) {
      for (let k = 0; k < 3; k++) {
        expect((await get(d.impressionUrl)).status).toBe(200);
        expect((await get(d.viewUrl)).status).toBe(200);
        expect((await get(d.clickUrl)).status).toBe(302);
      }
    }
    await until(() => counts(app, campaign.id).clicks === 12, 'twelve clicks counted', 10_000);
    // One more batch interval and sync: nothing counted twice arrives late.
    await new Promise((r) => setTimeout(r, 400));
    expect(counts(app, campaign.id)).toEqual({ served: 12 + probes, impressions: 12, clicks: 12, viewable: 12 });
    // Every request left an access record with the primary's sealer (12 decisions + 108 follow-ups, at least).
    await until(() => app.services.sealing.sealer.stats().recordsSealed + app.services.sealing.sealer.stats().pendingRecords >= 120, 'every access record at the sealer', 10_000);
    // Both workers took part.
    const records = app.workers!.records();
    expect(records.get(1)).toBeGreaterThan(20);
    expect(records.get(2)).toBeGreaterThan(20);
  }, 60_000);

  it('brings catalogue changes to every worker: a new campaign serves from both, a paused one from neither', async () => {
    const { campaign, zones } = await seedCatalog(manager, { sizes: [[728, 90]] });
    const zoneId = zones[0]!.id;
    const all = async () => Promise.all(Array.from({ length: 8 }, () => decision(app, zoneId)));
    await until(async () => (await all()).every((d) => d.status === 200 && d.json!.campaignId === campaign.id), 'the new campaign served by every worker', 10_000);
    expectStatus(await manager.patch(`/api/campaigns/${campaign.id}`, { status: 'paused' }), 200);
    await until(async () => (await all()).every((d) => d.status === 204), 'the paused campaign served by no worker', 10_000);
    expectStatus(await manager.patch(`/api/campaigns/${campaign.id}`, { status: 'active' }), 200);
    await until(async () => (await all()).every((d) => d.status === 200), 'the resumed campaign served again', 10_000);
  }, 60_000);

  it('gives every worker the new token key after a rotation; tokens signed before still count', async () => {
    const { campaign, zones } = await seedCatalog(manager, { sizes: [[300, 600]] });
    const probes = await everyWorkerServes(app, zones[0]!.id);
    const before = (await decision(app, zones[0]!.id)).json!;
    const admin = await signInAs(app, 'admin', { email: 'admin-rotates@agency.example' });
    expectStatus(await admin.post('/api/delivery/token-key/rotate', {}), 200);
    // Tokens signed after the rotation verify on every worker (a worker with the old key alone would answer 400).
    const after = [];
    for (let i = 0; i < 6; i++) after.push((await decision(app, zones[0]!.id)).json!);
    // Signed with the new key alone, whichever worker decided.
    const newKey = new TokenSigner({ current: loadOrCreateTokenKeys(app.dataDir).current, previous: null });
    for (const d of after) expect(newKey.verify(d.impressionUrl.split('/v1/imp/')[1]!), d.impressionUrl).not.toBeNull();
    expect(newKey.verify(before.impressionUrl.split('/v1/imp/')[1]!)).toBeNull();
    for (const d of [before, ...after]) for (let k = 0; k < 2; k++) expect((await get(d.impressionUrl)).status).toBe(200);
    // (A decision's served count comes with its worker's batch, its impression with another's.)
    await until(() => counts(app, campaign.id).impressions === 7 && counts(app, campaign.id).served === probes + 7, 'seven decisions and impressions counted', 10_000);
  }, 60_000);

  it('holds a per-visitor cap across workers (the primary decides where a capped campaign wins)', async () => {
    const { campaign, zones } = await seedCatalog(manager, { sizes: [[160, 600]], campaign: { visitorDailyCap: 2 } });
    await until(async () => (await decision(app, zones[0]!.id, { 'user-agent': 'probe' })).status === 200, 'the capped campaign served', 10_000);
    // That probe was another visitor (another user agent). This one gets the ad twice, then never.
    const visitor = { 'user-agent': 'Mozilla/5.0 (cap test)' };
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await decision(app, zones[0]!.id, visitor)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.slice(2)).toEqual([204, 204, 204, 204, 204, 204]);
    expect(campaign.id).toMatch(/^cmp_/);
  }, 60_000);

  it('decides capped zones in the worker unless a capped campaign wins; past the cap the primary draws among the rest', async () => {
    const { advertiser, campaign: capped, zones } = await seedCatalog(manager, { sizes: [[120, 600]], campaign: { visitorDailyCap: 2, priority: 5 } });
    const zoneId = zones[0]!.id;
    const fallback = await addCampaign(manager, advertiser.id, zoneId, 'Uncapped fallback', 1);
    await until(async () => (await decision(app, zoneId, { 'user-agent': 'probe' })).json?.campaignId === capped.id, 'the capped campaign served', 10_000);
    // A visitor past the cap gets the fallback from the primary, which the replica of whichever worker answers must know too.
    await until(async () => (await Promise.all(Array.from({ length: 6 }, () => decision(app, zoneId, { 'user-agent': 'past the cap' })))).every((d) => d.json?.campaignId === fallback), 'the fallback known everywhere', 10_000);
    const asked = app.workers!.decidedForWorkers().single;
    // The capped campaign has the higher priority: a worker always draws it and asks the primary,
    // which serves it twice to this visitor and then draws among the others.
    const visitor = { 'user-agent': 'Mozilla/5.0 (fallback test)' };
    const served = [];
    for (let i = 0; i < 6; i++) served.push((await decision(app, zoneId, visitor)).json?.campaignId);
    expect(served).toEqual([capped.id, capped.id, fallback, fallback, fallback, fallback]);
    expect(app.workers!.decidedForWorkers().single - asked).toBe(6);
    // An uncapped campaign above them wins every draw: the workers decide alone, the primary is not asked.
    const top = await addCampaign(manager, advertiser.id, zoneId, 'Uncapped top', 10);
    await until(async () => (await Promise.all(Array.from({ length: 6 }, () => decision(app, zoneId)))).every((d) => d.json?.campaignId === top), 'every worker serving the new campaign', 10_000);
    const before = app.workers!.decidedForWorkers();
    for (let i = 0; i < 6; i++) expect((await decision(app, zoneId, visitor)).json?.campaignId).toBe(top);
    expect(app.workers!.decidedForWorkers()).toEqual(before);
  }, 60_000);

  it('gives a capped campaign the same odds as one process: half of the first decisions of 240 new visitors', async () => {
    // Capped A and uncapped B, same priority and weight: in one process a new visitor gets A with
    // odds 1/2. A worker that sent every draw of A to the primary for a fresh draw would give A
    // 1/4; one that dropped A for capped zones, 0. 240 visitors: 120 ± 7.7, accepted within ±40 (5 σ).
    const { advertiser, campaign: capped, zones } = await seedCatalog(manager, { sizes: [[120, 600]], campaign: { visitorDailyCap: 1, priority: 3, weight: 1 } });
    const zoneId = zones[0]!.id;
    const other = await addCampaign(manager, advertiser.id, zoneId, 'Uncapped twin', 3);
    await until(async () => {
      const seen = new Set((await Promise.all(Array.from({ length: 12 }, (_, i) => decision(app, zoneId, { 'user-agent': `probe ${i}` })))).map((d) => d.json?.campaignId));
      return seen.has(capped.id) && seen.has(other);
    }, 'both campaigns served by the workers', 10_000);
    // Past A's cap a visitor gets B on every answer, so every worker's replica has B.
    await until(async () => (await Promise.all(Array.from({ length: 6 }, () => decision(app, zoneId, { 'user-agent': 'past the cap' })))).every((d) => d.json?.campaignId === other), 'B known everywhere', 10_000);
    let a = 0;
    for (let batch = 0; batch < 240; batch += 24) {
      const firsts = await Promise.all(Array.from({ length: 24 }, (_, i) => decision(app, zoneId, { 'user-agent': `Mozilla/5.0 (odds ${batch + i})` })));
      for (const d of firsts) {
        expect(d.status).toBe(200);
        if (d.json!.campaignId === capped.id) a++;
      }
    }
    expect(a).toBeGreaterThanOrEqual(80);
    expect(a).toBeLessThanOrEqual(160);
  }, 60_000);

  it('places a page in the worker up to the first capped winner; the primary places the rest after what the page shows', async () => {
    // Two zones. U (uncapped, top) on both, C (capped at 1 per visitor) on both, F (uncapped, lowest) on the second.
    // The first placement is always U, placed by the worker; the second cannot be U again, so it
    // draws C and the primary decides it: C for the visitor's first page, F after that.
    const { advertiser, campaign: capped, zones } = await seedCatalog(manager, { sizes: [[120, 600], [120, 600]], campaign: { visitorDailyCap: 1, priority: 5 } });
    const zoneIds = zones.map((z) => z.id);
    const top = await addCampaign(manager, advertiser.id, zoneIds, 'Uncapped top', 10);
    const last = await addCampaign(manager, advertiser.id, zoneIds[1]!, 'Uncapped last', 1);
    const page = async (ua: string) => {
      const res = await get(`${app.deliveryUrl}/v1/decision?zones=${zoneIds.join(',')}`, { 'user-agent': ua });
      // (404 while a worker's replica does not have the new zones yet.)
      if (res.status !== 200) return [`status ${res.status}`];
      return (JSON.parse(res.body) as { placements: Array<{ decision: { campaignId: string } | null }> }).placements.map((p) => p.decision?.campaignId ?? null);
    };
    // Every probe is a new visitor (the cap is 1).
    let probe = 0;
    const probes = async () => Promise.all(Array.from({ length: 6 }, () => page(`probe ${probe++}`)));
    await until(async () => (await probes()).every((p) => p[0] === top && p[1] === capped.id), 'every worker placing the page', 10_000);
    // A visitor past the cap gets F from the primary, which the replica of whichever worker answers must know too.
    await until(async () => (await Promise.all(Array.from({ length: 6 }, () => page('past the cap')))).every((p) => p[0] === top && p[1] === last), 'F known everywhere', 10_000);
    const before = app.workers!.decidedForWorkers();
    const visitor = 'Mozilla/5.0 (page test)';
    const pages = [];
    for (let i = 0; i < 4; i++) pages.push(await page(visitor));
    expect(pages).toEqual([[top, capped.id], [top, last], [top, last], [top, last]]);
    expect(app.workers!.decidedForWorkers()).toEqual({ single: before.single, pages: before.pages + 4 });
    // With an uncapped campaign above C on the second zone, no capped campaign wins: the page never leaves the worker.
    const second = await addCampaign(manager, advertiser.id, zoneIds[1]!, 'Uncapped second', 8);
    await until(async () => (await probes()).every((p) => p[0] === top && p[1] === second), 'every worker placing the new campaign', 10_000);
    const quiet = app.workers!.decidedForWorkers();
    for (let i = 0; i < 4; i++) expect(await page(`Mozilla/5.0 (page ${i})`)).toEqual([top, second]);
    expect(app.workers!.decidedForWorkers()).toEqual(quiet);
  }, 60_000);

  it('replaces a killed worker while the port keeps answering', async () => {
    const before = app.workers!.pids();
    process.kill(before[0]!, 'SIGKILL');
    // Once the primary has seen it die (a connection handed over at that very instant is lost with
    // the process), the surviving worker answers alone; the new one joins the same port.
    await until(() => !app.workers!.pids().includes(before[0]!), 'the primary seeing the worker die', 5_000);
    for (let i = 0; i < 10; i++) expect((await get(`${app.deliveryUrl}/healthz`)).status, `request ${i} after the kill`).toBe(200);
    await until(() => {
      const now = app.workers!.pids();
      return now.length === 2 && !now.includes(before[0]!);
    }, 'a new worker in place of the killed one', 15_000);
    const { zones } = await seedCatalog(manager, { sizes: [[320, 50]] });
    await until(async () => (await Promise.all(Array.from({ length: 6 }, () => decision(app, zones[0]!.id)))).every((d) => d.status === 200), 'a new zone served after the replacement', 10_000);
  }, 60_000);
});

describe('a clean stop with delivery workers', () => {
  it('flushes every worker\'s counts and access records before the store closes', async () => {
    const app = await startTestApp({ deliveryWorkers: 2 });
    let disposed = false;
    try {
      const manager = await signInAs(app, 'manager');
      const { campaign, zones } = await seedCatalog(manager);
      const probes = await everyWorkerServes(app, zones[0]!.id);
      const decisions = [];
      for (let i = 0; i < 10; i++) decisions.push((await decision(app, zones[0]!.id)).json!);
      for (const d of decisions) expect((await get(d.impressionUrl)).status).toBe(200);
      // Stop at once: the workers' last batches (counts, claims, records) are still with them.
      const sealer = app.services.sealing.sealer;
      await app.stop();
      disposed = true;
      expect(sealer.stats().recordsSealed).toBeGreaterThanOrEqual(20);
      expect(sealer.stats().droppedRecords).toBe(0);
      // The store is closed: read the rollups in a fresh connection.
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(`${app.dataDir}/store.sqlite`, { readonly: true });
      const row = db.prepare('SELECT SUM(served) AS served, SUM(impressions) AS impressions FROM stats_hourly WHERE campaign_id = ?').get(campaign.id);
      db.close();
      expect(row).toEqual({ served: 10 + probes, impressions: 10 });
    } finally {
      if (!disposed) await app.stop();
      await app.dispose().catch(() => {});
    }
  }, 60_000);
});

describe('serve --workers 2 (the CLI)', () => {
  it('starts the workers from the built bundle, serves on one port and stops cleanly on SIGTERM', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-workers-cli-'));
    const env = { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${data}.data-key` };
    const server = await startServeChild(['--data', data, '--workers', '2', '--delivery-host', '127.0.0.1', '--delivery-port', '0', '--admin-port', '0', '--no-portal'], env);
    try {
      expect(server.output()).toContain('delivery: 2 worker processes share the port');
      for (let i = 0; i < 6; i++) expect((await get(`${server.deliveryUrl}/healthz`)).status).toBe(200);
      expect((await get(`${server.deliveryUrl}/v1/decision?zone=zon_aaaaaaaaaaaaaaaa`)).status).toBe(404);
      await server.stop();
      expect(server.child.exitCode).toBe(0);
      // (The last lines may still be in the pipe when the exit is seen.)
      await until(() => server.output().includes(' stopped'), 'the "stopped" line', 5_000);
      expect(server.output()).not.toMatch(/ERROR/);
    } finally {
      await server.stop();
      fs.rmSync(data, { recursive: true, force: true });
      fs.rmSync(`${data}.data-key`, { force: true });
    }
  }, 60_000);
});

