import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock } from './seed';

const clock = testClock('2025-06-02T10:30:00Z');
const HOUR = 3_600_000;

let app: TestApp;
let seed: Seeder;
let analyst: AdminClient;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

interface Decision {
  decisionId: string;
  campaignId: string;
  impressionUrl: string;
  clickUrl: string;
  viewUrl: string;
}

async function decision(zoneId: string): Promise<Decision> {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  return json(res);
}

/** A campaign's counts today, through the statistics API. */
async function totals(campaignId: string) {
  const res = await analyst.get(`/api/stats?campaignId=${campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
  expect(res.status).toBe(200);
  const p = res.body.series[0].points[0];
  return { served: p.served, impressions: p.impressions, viewable: p.viewable, measurable: p.measurable };
}

/** Changes one character in the middle of a token (base64url stays valid). */
function alter(url: string): string {
  const i = url.lastIndexOf('/') + 12;
  return url.slice(0, i) + (url[i] === 'A' ? 'B' : 'A') + url.slice(i + 1);
}

describe('GET /v1/view/TOKEN', () => {
  it('carries the decision token, answers the uncached GIF to any origin without a cookie, and counts once per decision', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(s.zoneId);
    const token = d.impressionUrl.slice(d.impressionUrl.lastIndexOf('/') + 1);
    expect(d.viewUrl).toBe(`${app.deliveryUrl}/v1/view/${token}`);
    expect(d.campaignId).toBe(s.campaignId);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(d.viewUrl, { headers: { origin: 'https://news.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('set-cookie')).toBeNull();
      expect((await res.arrayBuffer()).byteLength).toBe(43);
    }
    expect(await totals(s.campaignId)).toEqual({ served: 1, impressions: 0, viewable: 1, measurable: 0 });
    // Another decision of the same ad is another view.
    await fetch((await decision(s.zoneId)).viewUrl);
    expect((await totals(s.campaignId)).viewable).toBe(2);
  });

  it('answers 400 for forged, altered and expired tokens and counts nothing', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const d = await decision(s.zoneId);
    const token = d.viewUrl.slice(d.viewUrl.lastIndexOf('/') + 1);
    const bad = [alter(d.viewUrl), d.viewUrl.slice(0, -2), `${d.viewUrl}AA`, `${app.deliveryUrl}/v1/view/not-a-token`, `${app.deliveryUrl}/v1/view/${'A'.repeat(token.length)}`];
    for (const url of bad) {
      const res = await fetch(url);
      expect(res.status, url).toBe(400);
      expect((await json(res)).error.code).toBe('bad_request');
    }
    // The impression's lifetime: valid just before 24 h, expired after.
    clock.advance(25 * HOUR);
    try {
      const expired = await fetch(d.viewUrl);
      expect(expired.status).toBe(400);
      expect((await json(expired)).error.message).toMatch(/expired/);
    } finally {
      clock.set('2025-06-02T10:30:00Z');
    }
    expect((await totals(s.campaignId)).viewable).toBe(0);
  });

  it('survives a restart: a view counted before is not counted again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-view-restart-'));
    try {
      let a = await startTestApp({ dataDir }, { now: clock.now });
      const s = new Seeder(a.ctx.db, clock.now()).simple();
      await refreshIndex(a);
      const d: Decision = await json(await fetch(`${a.deliveryUrl}/v1/decision?zone=${s.zoneId}`));
      expect((await fetch(d.viewUrl)).status).toBe(200);
      await a.stop();
      a = await startTestApp({ dataDir }, { now: clock.now });
      try {
        expect((await fetch(d.viewUrl.replace(new URL(d.viewUrl).origin, a.deliveryUrl))).status).toBe(200);
        const client = await signInAs(a, 'analyst');
        const res = await client.get(`/api/stats?campaignId=${s.campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
        expect(res.body.series[0].points[0].viewable).toBe(1);
      } finally {
        await a.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.data-key`, { force: true });
    }
  });
});

describe('measurable impressions (?m=1)', () => {
  it('counts measurable once per decision, only with m=1 and only with the impression it belongs to', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const plain = await decision(s.zoneId);
    expect((await fetch(plain.impressionUrl)).status).toBe(200);
    expect((await fetch(`${plain.impressionUrl}?m=0`)).status).toBe(200);
    expect(await totals(s.campaignId)).toEqual({ served: 1, impressions: 1, viewable: 0, measurable: 0 });

    const measured = await decision(s.zoneId);
    for (let i = 0; i < 3; i++) expect((await fetch(`${measured.impressionUrl}?m=1`)).status).toBe(200);
    expect(await totals(s.campaignId)).toEqual({ served: 2, impressions: 2, viewable: 0, measurable: 1 });
    // An impression already counted without m=1 does not become measurable later.
    await fetch(`${plain.impressionUrl}?m=1`);
    expect((await totals(s.campaignId)).measurable).toBe(1);
    expect((await fetch(`${alter(measured.impressionUrl)}?m=1`)).status).toBe(400);
    await fetch(measured.viewUrl);
    expect(await totals(s.campaignId)).toEqual({ served: 2, impressions: 2, viewable: 1, measurable: 1 });
  });
});

describe('viewUrl in page decisions', () => {
  it('gives every filled placement of GET ?zones= and POST /v1/decisions its own view URL', async () => {
    const siteId = seed.site(seed.customer());
    const zones = [seed.zone(siteId), seed.zone(siteId)];
    const campaigns = zones.map(() => {
      const c = seed.campaign({ zoneIds: zones });
      seed.creative(c);
      return c;
    });
    await refreshIndex(app);
    const get = await json(await fetch(`${app.deliveryUrl}/v1/decision?zones=${zones.join(',')}`));
    const post = await json(
      await fetch(`${app.deliveryUrl}/v1/decisions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ placements: zones.map((zone) => ({ zone })) }) }),
    );
    for (const page of [get, post]) {
      const ds: Decision[] = page.placements.map((p: { decision: Decision }) => p.decision);
      expect(ds).toHaveLength(2);
      for (const d of ds) {
        expect(d.viewUrl).toBe(d.impressionUrl.replace('/v1/imp/', '/v1/view/'));
        expect(campaigns).toContain(d.campaignId);
      }
      expect(new Set(ds.map((d) => d.campaignId)).size).toBe(2);
      for (const d of ds) expect((await fetch(d.viewUrl)).status).toBe(200);
    }
    for (const c of campaigns) expect((await totals(c)).viewable).toBe(2);
  });
});
