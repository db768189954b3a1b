import { spawnSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryCode, countryNumber } from '../../../common/countries';
import { packagedTable } from '../../geo/country-lookup';
import { TABLE_PACKAGE, tablePackageDir } from '../../geo/country-table';
import { openMmdb } from '../../geo/mmdb-lookup';
import { openDatabase, STORE_FILE } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { seedCatalog } from '../../test/catalog-fixture';
import { startTestApp, type TestApp } from '../../test/test-app';
import { loadOrCreateTokenKeys } from '../token-keys';
import { tokenTail } from '../tokens';
import { json, refreshIndex, Seeder, testClock } from './seed';

const clock = testClock('2025-06-02T10:30:00Z');
const table = packagedTable();

/**
 * An address of `country` taken from the shipped table itself: the middle of the first range of
 * that country whose middle the table (with its nested, more specific ranges) really maps to it.
 */
function addressOf(country: string, family: 4 | 6): string {
  const base = path.basename(TABLE_PACKAGE);
  const file = path.join(tablePackageDir(), family === 4 ? `${base}-ipv4-num.csv` : `${base}-ipv6.csv`);
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    const [start, end, cc] = line.split(',');
    if (cc?.trim() !== country) continue;
    let ip: string;
    if (family === 4) {
      const mid = Math.floor((Number(start) + Number(end)) / 2);
      ip = [mid >>> 24, (mid >>> 16) & 255, (mid >>> 8) & 255, mid & 255].join('.');
    } else {
      // Same /64 as the start (first four groups), host part ::1234.
      const groups = expand(start!);
      ip = `${groups.slice(0, 4).join(':')}::1234`;
    }
    if (countryCode(table.lookup(ip)) === country) return ip;
  }
  throw new Error(`no ${country} address in the table`);
}

function expand(v6: string): string[] {
  const [head, tail] = v6.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
}

const DE4 = addressOf('DE', 4);
const FR4 = addressOf('FR', 4);
const DE6 = addressOf('DE', 6);
const FR6 = addressOf('FR', 6);
const UNKNOWN = '192.0.2.44'; // TEST-NET-1: in no registry's table

let app: TestApp;
let dataDir: string;
let seed: Seeder;
let analyst: AdminClient;
let admin: AdminClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-country-'));
  // The test client connects over loopback: trusting it makes X-Forwarded-For the client address.
  app = await startTestApp({ dataDir, trustProxy: ['127.0.0.1', '::1'], timeZone: 'UTC' }, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
  admin = await signInAs(app, 'admin');
});
afterAll(async () => {
  await app.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.data-key`, { force: true });
});

const decide = (zoneId: string, ip: string) => fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`, { headers: { 'x-forwarded-for': ip } });

describe('the IP→country table', () => {
  it('maps addresses picked from the table, IPv4 and IPv6, and knows nothing of private or documentation ranges', () => {
    expect([DE4, FR4, DE6, FR6].map((ip) => countryCode(table.lookup(ip)))).toEqual(['DE', 'FR', 'DE', 'FR']);
    for (const ip of [UNKNOWN, '10.1.2.3', '127.0.0.1', '::1', 'not-an-ip', '', '1.2.3', '1::2::3']) expect(table.lookup(ip), ip).toBe(0);
    expect(table.ipv4Ranges).toBeGreaterThan(100_000);
    expect(table.ipv6Ranges).toBeGreaterThan(50_000);
  });

  it('refuses a --geoip-file that is missing or no MaxMind DB, in one line', () => {
    const bad = path.join(dataDir, 'not-a-db.mmdb');
    fs.writeFileSync(bad, 'this is no MaxMind database\n'.repeat(100));
    for (const file of [bad, path.join(dataDir, 'missing.mmdb')]) {
      let message = '';
      try {
        openMmdb(file);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(new RegExp(`^--geoip-file ${file.replaceAll('.', '\\.')}: `));
      expect(message).not.toContain('\n');
    }
  });
});

describe('country targeting over HTTP (--trust-proxy, X-Forwarded-For)', () => {
  it('serves a DE-targeted campaign to German addresses only; unknown countries do not match', async () => {
    const s = seed.simple({ targeting: { countries: ['DE', 'AT'] } });
    await refreshIndex(app);
    expect((await decide(s.zoneId, DE4)).status).toBe(200);
    expect((await decide(s.zoneId, DE6)).status).toBe(200);
    expect((await decide(s.zoneId, FR4)).status).toBe(204);
    expect((await decide(s.zoneId, FR6)).status).toBe(204);
    expect((await decide(s.zoneId, UNKNOWN)).status).toBe(204);
    // The rightmost untrusted hop is the client: a forged left part changes nothing.
    expect((await decide(s.zoneId, `${DE4}, ${FR4}`)).status).toBe(204);
    expect((await decide(s.zoneId, `${FR4}, ${DE4}`)).status).toBe(200);
  });

  it('targets and counts every placement of a page decision by the one looked-up country', async () => {
    const a = seed.simple({ targeting: { countries: ['DE'] } });
    const b = seed.simple();
    await refreshIndex(app);
    const page = (ip: string) =>
      fetch(`${app.deliveryUrl}/v1/decisions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ placements: [{ zone: a.zoneId }, { zone: b.zoneId }] }),
      }).then((r) => r.json() as Promise<{ placements: Array<{ zone: string; decision: { impressionUrl: string } | null }> }>);
    const fromDe = await page(DE4);
    expect(fromDe.placements.map((p) => p.decision !== null)).toEqual([true, true]);
    const fromFr = await page(FR6);
    expect(fromFr.placements.map((p) => p.decision !== null)).toEqual([false, true]);
    await fetch(fromDe.placements[0]!.decision!.impressionUrl, { headers: { 'x-forwarded-for': UNKNOWN } });
    app.services.stats.flush();
    const rows = (campaignId: string) => app.ctx.db.prepare('SELECT country, served, impressions FROM stats_hourly WHERE campaign_id = ? ORDER BY country').all(campaignId);
    expect(rows(a.campaignId)).toEqual([{ country: 'DE', served: 1, impressions: 1 }]);
    expect(rows(b.campaignId)).toEqual([
      { country: 'DE', served: 1, impressions: 0 },
      { country: 'FR', served: 1, impressions: 0 },
    ]);
  });

  it('still serves untargeted campaigns to unknown countries', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    for (const ip of [UNKNOWN, FR4, DE6]) expect((await decide(s.zoneId, ip)).status, ip).toBe(200);
  });

  it('validates targeting.countries: upper-cased, unknown codes 400 with a clear message', async () => {
    const cat = await seedCatalog(admin, { sizes: [[300, 250]] });
    const ok = await admin.request('PATCH', `/api/campaigns/${cat.campaign.id}`, { json: { targeting: { countries: ['de', ' at'] } } });
    expect(ok.status).toBe(200);
    expect(ok.body.targeting.countries).toEqual(['DE', 'AT']);
    for (const bad of [['XX'], ['DEU'], ['EU'], [1]]) {
      const res = await admin.request('PATCH', `/api/campaigns/${cat.campaign.id}`, { json: { targeting: { countries: bad } } });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const [detail] = res.body.error.details as Array<{ path: string; message: string; code: string; params: Record<string, unknown> }>;
      expect(detail?.path).toBe('targeting.countries.0');
      if (bad[0] === 1) expect(detail).toMatchObject({ code: 'invalid_type', params: { expected: 'string' } });
      else expect(detail).toMatchObject({ code: 'custom', params: { key: 'country' }, message: expect.stringMatching(/ISO 3166-1 alpha-2 country code/) });
    }
  });
});

describe('statistics by country', () => {
  it('counts served, impressions and clicks per country; pixel and click count for the decision’s country', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const de = await json(await decide(s.zoneId, DE4));
    await json(await decide(s.zoneId, DE6));
    const fr = await json(await decide(s.zoneId, FR4));
    await json(await decide(s.zoneId, UNKNOWN));
    // Pixel and click come from other addresses: they still count for the decision's country.
    await fetch(de.impressionUrl, { headers: { 'x-forwarded-for': FR4 } });
    await fetch(de.clickUrl, { redirect: 'manual', headers: { 'x-forwarded-for': UNKNOWN } });
    await fetch(fr.impressionUrl, { headers: { 'x-forwarded-for': DE4 } });
    app.services.stats.flush();
    const res = await analyst.get(`/api/stats?campaignId=${s.campaignId}&from=2025-06-02T00:00:00Z&to=2025-06-03T00:00:00Z&granularity=day&by=country`);
    expect(res.status).toBe(200);
    const byKey = Object.fromEntries(res.body.series.map((x: { key: string; points: Array<Record<string, unknown>> }) => [x.key, x.points[0]]));
    expect(byKey).toMatchObject({
      '': { t: '2025-06-02T00:00:00.000Z', served: 1, impressions: 0, clicks: 0 },
      DE: { t: '2025-06-02T00:00:00.000Z', served: 2, impressions: 1, clicks: 1 },
      FR: { t: '2025-06-02T00:00:00.000Z', served: 1, impressions: 1, clicks: 0 },
    });
  });

  it('still counts impression tokens of version 1 (issued before country), as country unknown', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const keys = loadOrCreateTokenKeys(app.ctx.config.dataDir);
    const head = Buffer.alloc(21);
    head[0] = 1;
    randomBytes(16).copy(head, 1);
    head.writeUInt32BE(Math.floor(clock.now().getTime() / 1000), 17);
    const message = Buffer.concat([head, tokenTail(s.creativeId, s.zoneId)]);
    const mac = createHmac('sha256', keys.current).update(message).digest().subarray(0, 16);
    const token = Buffer.concat([message, mac]).toString('base64url');
    expect((await fetch(`${app.deliveryUrl}/v1/imp/${token}`, { headers: { 'x-forwarded-for': DE4 } })).status).toBe(200);
    app.services.stats.flush();
    const rows = app.ctx.db.prepare('SELECT country, impressions FROM stats_hourly WHERE campaign_id = ?').all(s.campaignId);
    expect(rows).toEqual([{ country: '', impressions: 1 }]);
  });

  it('answers by=country on the staff API only with known dimensions', async () => {
    const res = await analyst.get(`/api/stats?campaignId=x&from=2025-06-02&to=2025-06-03&granularity=day&by=ip`);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('customer, campaign, creative, site, zone, country');
  });
});

describe('migration 012', () => {
  it('rebuilds stats_hourly with a country key and keeps every old row (country "")', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-m012-'));
    try {
      const before = openDatabase(dir, MIGRATIONS.filter((m) => m.version < 12));
      const add = before.prepare('INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, served, impressions, clicks) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      add.run(3600, 'cmp_a', 'crv_a', 'zon_a', 'sit_a', 5, 4, 1);
      add.run(7200, 'cmp_a', 'crv_a', 'zon_a', 'sit_a', 7, 3, 0);
      add.run(7200, 'cmp_b', 'crv_b', 'zon_b', 'sit_b', 2, 2, 2);
      before.close();
      const after = openDatabase(dir);
      expect(after.prepare('SELECT hour, campaign_id, served, impressions, clicks, country FROM stats_hourly ORDER BY campaign_id, hour').all()).toEqual([
        { hour: 3600, campaign_id: 'cmp_a', served: 5, impressions: 4, clicks: 1, country: '' },
        { hour: 7200, campaign_id: 'cmp_a', served: 7, impressions: 3, clicks: 0, country: '' },
        { hour: 7200, campaign_id: 'cmp_b', served: 2, impressions: 2, clicks: 2, country: '' },
      ]);
      // The country is part of the key: the same hour and ids in two countries are two rows.
      const add2 = after.prepare("INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, country, served) VALUES (3600, 'cmp_a', 'crv_a', 'zon_a', 'sit_a', ?, 1)");
      add2.run('DE');
      expect(() => add2.run('DE')).toThrow(/UNIQUE|PRIMARY/);
      // 012 carried the hour index over; 016 replaced it by one that also carries the counts; 017 added the zone's (size lock).
      expect(after.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stats_hourly' AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual([
        'stats_hourly_hour_counts',
        'stats_hourly_zone',
      ]);
      after.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the data directory', () => {
  it('holds none of the client addresses (store, WAL and every other file), only country codes', async () => {
    app.services.stats.flush();
    await app.stop();
    const needles = [DE4, FR4, DE6, FR6, UNKNOWN];
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else {
          const bytes = fs.readFileSync(file);
          for (const ip of needles) {
            if (bytes.includes(Buffer.from(ip, 'latin1')) || bytes.includes(Buffer.from(ip, 'utf16le'))) hits.push(`${entry.name}: ${ip}`);
          }
        }
      }
    };
    walk(dataDir);
    expect(fs.existsSync(path.join(dataDir, STORE_FILE))).toBe(true);
    expect(hits).toEqual([]);
    expect(countryNumber('DE')).toBeGreaterThan(0);
    // Restart for afterAll's stop (the same data directory).
    app = await startTestApp({ dataDir }, { now: clock.now });
  });
});

describe('serve --geoip-file', () => {
  const cli = path.resolve(import.meta.dirname, '../../../bin/creative-engine.js');
  it('refuses a bad file at start with one line and exit code 1', () => {
    // Never a silent skip: npm test builds first.
    if (!fs.existsSync(path.resolve(import.meta.dirname, '../../../dist/server/cli.js'))) throw new Error('dist/server/cli.js is missing: run `node scripts/build.mjs server` first.');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-geo-'));
    try {
      const bad = path.join(dir, 'bad.mmdb');
      fs.writeFileSync(bad, 'not a database');
      const r = spawnSync(process.execPath, [cli, 'serve', '--data', path.join(dir, 'data'), '--delivery-port', '0', '--admin-port', '0', '--no-portal', '--geoip-file', bad], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: path.join(dir, 'key') },
      });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^creative-engine serve: --geoip-file ${bad.replaceAll('.', '\\.')}: not a MaxMind DB \\(\\.mmdb\\) file \\(.+\\)\\.$`));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
