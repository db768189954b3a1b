import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countryCode } from '../../common/countries';
import { Seeder, refreshIndex, testClock } from '../delivery/test/seed';
import { startTestApp, type TestApp } from '../test/test-app';
import { packagedTable } from './country-lookup';
import { openMmdb } from './mmdb-lookup';

/**
 * --geoip-file with a real MaxMind DB file: the ip-location-db project's own .mmdb build of the same
 * release as the shipped table (a dev dependency, CC0 / NRO data), so both must agree address by address.
 */
const MMDB = path.join(path.dirname(createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/package.json')), 'geo-whois-asn-country.mmdb');
const table = packagedTable();

/** Deterministic pseudo-random 32-bit numbers (xorshift), so a failure names the same addresses again. */
function* numbers(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x;
  }
}

function sampleAddresses(count: number): string[] {
  const out: string[] = [];
  const next = numbers(0x5eed);
  for (let i = 0; i < count; i++) {
    const v4 = next.next().value as number;
    out.push([v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255].join('.'));
    // Inside 2000::/3, where the registries announce; the first 48 bits random, the rest fixed.
    const a = next.next().value as number;
    const b = next.next().value as number;
    out.push(`${(0x2000 | (a >>> 19)).toString(16)}:${(a & 0xffff).toString(16)}:${(b & 0xffff).toString(16)}::1`);
  }
  return out;
}

describe('a real MaxMind DB file as --geoip-file', () => {
  it('opens and agrees with the shipped table on 20,000 sampled IPv4 and IPv6 addresses', () => {
    const mmdb = openMmdb(MMDB);
    const addresses = sampleAddresses(10_000);
    let known = 0;
    const disagree: string[] = [];
    for (const ip of addresses) {
      const a = table.lookup(ip);
      const b = mmdb.lookup(ip);
      if (a !== 0) known++;
      if (a !== b) disagree.push(`${ip}: table ${countryCode(a) || '-'}, mmdb ${countryCode(b) || '-'}`);
    }
    // The sample must reach real allocations, or agreeing on "unknown" would prove nothing.
    expect(known).toBeGreaterThan(5_000);
    expect(disagree).toEqual([]);
    for (const ip of ['10.0.0.1', '192.0.2.44', '::1', 'not-an-ip']) expect(mmdb.lookup(ip), ip).toBe(0);
  });

  describe('targeting over HTTP with the file loaded by the server', () => {
    const clock = testClock('2025-06-02T10:30:00Z');
    let app: TestApp;
    let dataDir: string;
    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-mmdb-'));
      app = await startTestApp({ dataDir, trustProxy: ['127.0.0.1', '::1'], geoipFile: MMDB }, { now: clock.now });
    });
    afterAll(async () => {
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.data-key`, { force: true });
    });

    it('serves an AT-targeted campaign to an Austrian address only, by the file', async () => {
      const mmdb = openMmdb(MMDB);
      const find = (cc: string) => sampleAddresses(10_000).find((ip) => countryCode(mmdb.lookup(ip)) === cc);
      const at = find('AT');
      const us = find('US');
      expect(at && us).toBeTruthy();
      const seed = new Seeder(app.ctx.db, clock.now());
      const s = seed.simple({ targeting: { countries: ['AT'] } });
      await refreshIndex(app);
      const decide = (ip: string) => fetch(`${app.deliveryUrl}/v1/decision?zone=${s.zoneId}`, { headers: { 'x-forwarded-for': ip } });
      expect((await decide(at!)).status).toBe(200);
      expect((await decide(us!)).status).toBe(204);
      app.services.stats.flush();
      expect(app.ctx.db.prepare('SELECT country, served FROM stats_hourly WHERE campaign_id = ?').all(s.campaignId)).toEqual([{ country: 'AT', served: 1 }]);
    });
  });
});
