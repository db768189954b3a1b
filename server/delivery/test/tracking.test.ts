import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { TOKEN_KEY_PATH } from '../token-keys';
import { json, refreshIndex, Seeder, testClock } from './seed';

const clock = testClock('2025-06-02T10:30:00Z');
const HOUR = 3_600_000;
const LANDING = 'https://advertiser.example/landing?x=1';

let app: TestApp;
let seed: Seeder;
let analyst: AdminClient;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

async function decision(a: TestApp, zoneId: string): Promise<{ impressionUrl: string; clickUrl: string; decisionId: string }> {
  const res = await fetch(`${a.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  return json(res);
}

/** Totals of a campaign today, through the statistics API. */
async function totals(client: AdminClient, campaignId: string) {
  const res = await client.get(`/api/stats?campaignId=${campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
  expect(res.status).toBe(200);
  const p = res.body.series[0].points[0];
  return { served: p.served, impressions: p.impressions, clicks: p.clicks };
}

/** Changes one character in the middle of a token (base64url stays valid). */
function alter(url: string): string {
  const i = url.lastIndexOf('/') + 12;
  return url.slice(0, i) + (url[i] === 'A' ? 'B' : 'A') + url.slice(i + 1);
}

describe('impression pixel', () => {
  it('answers the 43-byte transparent GIF, uncached, and counts once per decision', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(app, s.zoneId);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(d.impressionUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-length')).toBe('43');
      const gif = Buffer.from(await res.arrayBuffer());
      expect(gif.length).toBe(43);
      expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    }
    expect(await totals(analyst, s.campaignId)).toEqual({ served: 1, impressions: 1, clicks: 0 });
    const second = await decision(app, s.zoneId);
    await fetch(second.impressionUrl);
    expect(await totals(analyst, s.campaignId)).toEqual({ served: 2, impressions: 2, clicks: 0 });
  });

  it('answers 400 (JSON, no GIF) for forged, altered or expired tokens and counts nothing', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(app, s.zoneId);
    const token = d.impressionUrl.slice(d.impressionUrl.lastIndexOf('/') + 1);
    const bad = [alter(d.impressionUrl), d.impressionUrl.slice(0, -2), `${d.impressionUrl}AA`, `${app.deliveryUrl}/v1/imp/not-a-token`, `${app.deliveryUrl}/v1/imp/${'A'.repeat(token.length)}`];
    for (const url of bad) {
      const res = await fetch(url);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect((await json(res)).error.code).toBe('bad_request');
    }
    clock.advance(25 * HOUR);
    try {
      const expired = await fetch(d.impressionUrl);
      expect(expired.status).toBe(400);
      expect((await json(expired)).error.message).toMatch(/expired/);
    } finally {
      clock.set('2025-06-02T10:30:00Z');
    }
    expect((await totals(analyst, s.campaignId)).impressions).toBe(0);
  });
});

describe('click redirect', () => {
  it('redirects to the registered landing URL and counts one click per decision', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(app, s.zoneId);
    for (const url of [d.clickUrl, `${d.clickUrl}?url=https://evil.example/`]) {
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(LANDING);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await totals(analyst, s.campaignId)).toEqual({ served: 1, impressions: 0, clicks: 1 });
  });

  it('follows a landing URL changed since the decision (looked up, never carried in the token)', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(app, s.zoneId);
    app.ctx.db.prepare('UPDATE creatives SET landing_url = ? WHERE id = ?').run('https://advertiser.example/new', s.creativeId);
    await refreshIndex(app);
    expect((await fetch(d.clickUrl, { redirect: 'manual' })).headers.get('location')).toBe('https://advertiser.example/new');
  });

  it('answers 400 without Location for forged, altered, swapped or expired tokens', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(app, s.zoneId);
    const other = await startTestApp({}, { now: clock.now });
    try {
      const foreignZone = new Seeder(other.ctx.db, clock.now()).simple().zoneId;
      await refreshIndex(other);
      const foreign = await decision(other, foreignZone);
      const foreignToken = foreign.clickUrl.slice(foreign.clickUrl.lastIndexOf('/') + 1);
      const bad = [alter(d.clickUrl), d.clickUrl.slice(0, -1), `${app.deliveryUrl}/v1/click/${foreignToken}`, `${app.deliveryUrl}/v1/click/%00`];
      for (const url of bad) {
        const res = await fetch(url, { redirect: 'manual' });
        expect(res.status, url).toBe(400);
        expect(res.headers.get('location')).toBeNull();
      }
    } finally {
      await other.dispose();
    }
    clock.advance(7 * 24 * HOUR + 60_000);
    try {
      const res = await fetch(d.clickUrl, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    } finally {
      clock.set('2025-06-02T10:30:00Z');
    }
    expect((await totals(analyst, s.campaignId)).clicks).toBe(0);
  });
});

describe('token key', () => {
  it('is created in the data directory, readable only by the owner', () => {
    const stat = fs.statSync(path.join(app.dataDir, TOKEN_KEY_PATH));
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it('rotates (admin only, audited); the previous key still verifies, the one before does not', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const before = await decision(app, s.zoneId);
    const manager = await signInAs(app, 'manager');
    expect((await manager.post('/api/delivery/token-key/rotate')).status).toBe(403);
    const admin = await signInAs(app, 'admin');
    expect((await admin.post('/api/delivery/token-key/rotate', undefined, { omitCsrfHeader: true })).status).toBe(403);
    const rotated = await admin.post('/api/delivery/token-key/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.rotatedAt).toBe(clock.now().toISOString());
    const audit = app.ctx.audit.list({ limit: 5 });
    expect(JSON.stringify(audit)).toContain('delivery.token-key.rotate');
    expect((await fetch(before.clickUrl, { redirect: 'manual' })).status).toBe(302);
    const after = await decision(app, s.zoneId);
    expect((await admin.post('/api/delivery/token-key/rotate')).status).toBe(200);
    expect((await fetch(before.clickUrl, { redirect: 'manual' })).status).toBe(400);
    expect((await fetch(after.clickUrl, { redirect: 'manual' })).status).toBe(302);
  });
});

describe('restart', () => {
  it('keeps the key and the counted decisions: an impression is never counted twice', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-restart-'));
    try {
      let a = await startTestApp({ dataDir }, { now: clock.now });
      const s = new Seeder(a.ctx.db, clock.now()).simple();
      await refreshIndex(a);
      const d = await decision(a, s.zoneId);
      expect((await fetch(d.impressionUrl)).status).toBe(200);
      expect((await fetch(d.clickUrl, { redirect: 'manual' })).status).toBe(302);
      await a.stop();
      a = await startTestApp({ dataDir }, { now: clock.now });
      try {
        expect((await fetch(d.impressionUrl.replace(new URL(d.impressionUrl).origin, a.deliveryUrl))).status).toBe(200);
        expect((await fetch(d.clickUrl.replace(new URL(d.clickUrl).origin, a.deliveryUrl), { redirect: 'manual' })).status).toBe(302);
        const client = await signInAs(a, 'analyst');
        expect(await totals(client, s.campaignId)).toEqual({ served: 1, impressions: 1, clicks: 1 });
      } finally {
        await a.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.data-key`, { force: true });
    }
  });
});
