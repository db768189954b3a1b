import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from '../app';
import { resolveConfig } from '../config';
import { anonymousClient, signInAs } from '../test/admin-client';
import { findPlainText } from '../test/find-plain-text';
import { startTestApp } from '../test/test-app';
import { THROWAWAY_WARNING } from './key-ring';
import { listSegments } from './segment-reader';
import { createTestIdentity } from './test/test-identity';
import { memoryLogger, unsealAll } from './test/unseal-for-tests';

const UA = 'CE-Distinct-Agent/7.3 (zz-unique-ua-4f1e)';
const CLIENT_IP = '203.0.113.77';
const REFERRER = 'https://distinct-referrer-9b2c.example/page';
const SECRET_QUERY = 'needle-q-5d0a';


function rawGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('sealing feature', () => {
  it('warns at start while sealing to a throwaway key and reports it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-seal-feature-'));
    const log = memoryLogger();
    const config = () => resolveConfig({ dataDir, delivery: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, portal: { host: '127.0.0.1', port: 0 }, privacy: { dataKeyFile: `${dataDir}.data-key` } });
    const app = await startApp(config(), { log });
    try {
      expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toContain(THROWAWAY_WARNING);
      const { keyRing } = app.services.sealing;
      const status = keyRing.status()!;
      expect(status).toMatchObject({ sealing: 'throwaway', keyId: expect.stringMatching(/^sk_[a-z2-7]{16}$/) });
      expect(keyRing.history()).toHaveLength(1);

      expect((await anonymousClient(app).get('/api/keys/status')).status).toBe(401);
      const analyst = await signInAs(app, 'analyst');
      const res = await analyst.get('/api/keys/status');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ...status, recordsSealed: 0, pendingRecords: 0, droppedRecords: 0, failedRecords: 0 });
    } finally {
      await app.stop();
    }
    // A restart keeps the same throwaway key (its private half is still gone) and warns again.
    const log2 = memoryLogger();
    const again = await startApp(config(), { log: log2 });
    expect(again.services.sealing.keyRing.history()).toHaveLength(1);
    expect(log2.lines.some((l) => l.message === THROWAWAY_WARNING)).toBe(true);
    await again.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.data-key`, { force: true });
  });

  it('seals every delivery request and leaves no plaintext IP, user agent or referrer in the data directory', async () => {
    const app = await startTestApp({ trustProxy: ['127.0.0.1', '::1'] });
    const id = createTestIdentity();
    const { keyRing, sealer } = app.services.sealing;
    const key = await keyRing.activate(id.recipient, {});
    expect(keyRing.status()).toMatchObject({ sealing: 'ceremony', keyId: key.id });
    expect(keyRing.history().map((k) => [k.kind, k.retiredAt === null])).toEqual([['throwaway', false], ['ceremony', true]]);

    const headers = { 'user-agent': UA, 'x-forwarded-for': `198.51.100.1, ${CLIENT_IP}`, referer: REFERRER };
    const ok = await fetch(`${app.deliveryUrl}/healthz?${SECRET_QUERY}=1`, { headers });
    expect(ok.status).toBe(200);
    await ok.text();
    const missing = await fetch(`${app.deliveryUrl}/v1/nothing-here/${SECRET_QUERY}`, { headers });
    expect(missing.status).toBe(404);
    await missing.text();
    // A connection the client closes right after the response: the peer address is still known.
    expect(await rawGet(`${app.deliveryUrl}/healthz`, { connection: 'close', 'user-agent': UA })).toBe(200);
    // Admin requests are not delivery requests: they leave no access record.
    await fetch(`${app.adminUrl}/api/health`, { headers });

    // While running (WAL present), after the batch reached disk:
    await sealer.drain();
    expect(findPlainText(app.dataDir, [UA, CLIENT_IP, REFERRER, SECRET_QUERY])).toEqual([]);
    // The last request before shutdown is sealed by the stop hook, after the listeners closed.
    await (await fetch(`${app.deliveryUrl}/healthz?last`, { headers })).text();
    await app.stop();
    expect(findPlainText(app.dataDir, [UA, CLIENT_IP, REFERRER, SECRET_QUERY])).toEqual([]);

    expect(listSegments(path.join(app.dataDir, 'sealed')).map((s) => s.keyId)).toEqual([key.id]);
    const records = (await unsealAll(path.join(app.dataDir, 'sealed'), id.identity)).flatMap((s) => s.records);
    expect(records).toHaveLength(4);
    const [first, second, third, last] = records;
    expect(first).toEqual({
      t: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), ip: CLIENT_IP, method: 'GET', url: `/healthz?${SECRET_QUERY}=1`,
      status: 200, bytes: 2, referrer: REFERRER, userAgent: UA,
    });
    expect(second).toMatchObject({ ip: CLIENT_IP, url: `/v1/nothing-here/${SECRET_QUERY}`, status: 404 });
    expect((second!.bytes as number) > 0).toBe(true);
    expect(third).toMatchObject({ ip: '127.0.0.1', url: '/healthz', status: 200, userAgent: UA });
    expect(third).not.toHaveProperty('referrer');
    expect(last).toMatchObject({ url: '/healthz?last', ip: CLIENT_IP });
    await app.dispose();
  });

  it('refuses to start when the sealed directory cannot be written, naming it', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ce-seal-bad-')), 'not-a-dir');
    fs.writeFileSync(file, 'x');
    await expect(startTestApp({ sealing: { dir: path.join(file, 'sealed') } })).rejects.toThrow(/Cannot write sealed logs to .*not-a-dir\/sealed: .*ENOTDIR/);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
