import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { chooseEncoding, COMPRESS_MIN_BYTES } from './compress';
import { close, createListener, listen } from './listener';
import { Router } from './router';

/** A GET over plain node:http (fetch would decompress): status, headers and the raw body bytes. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const decoded = (r: { headers: http.IncomingHttpHeaders; body: Buffer }): string =>
  (r.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(r.body) : r.body).toString('utf8');

let app: TestApp;
let analyst: AdminClient;
beforeAll(async () => {
  app = await startTestApp();
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

describe('compressed JSON on the admin listener', () => {
  // 31 days of hourly points: about 100 KB of JSON.
  const report = '/api/stats?from=2025-06-01T00:00:00Z&to=2025-07-02T00:00:00Z&granularity=hour';

  it('sends a large answer as brotli or gzip when accepted, the same JSON as uncompressed', async () => {
    const headers = { cookie: analyst.cookie!, 'x-requested-with': 'creative-engine' };
    const plain = await rawGet(app.adminUrl + report, { ...headers, 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    expect(plain.headers.vary).toContain('accept-encoding');
    for (const [accept, encoding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0, gzip;q=0.5', 'gzip']] as const) {
      const r = await rawGet(app.adminUrl + report, { ...headers, 'accept-encoding': accept });
      expect(r.status, accept).toBe(200);
      expect(r.headers['content-encoding'], accept).toBe(encoding);
      expect(r.headers.vary, accept).toContain('accept-encoding');
      expect(Number(r.headers['content-length']), accept).toBe(r.body.length);
      expect(r.body.length, accept).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decoded(r)), accept).toEqual(JSON.parse(plain.body.toString('utf8')));
    }
  });

  it('leaves small answers and errors as they are', async () => {
    const health = await rawGet(`${app.adminUrl}/api/health`, { 'accept-encoding': 'br, gzip' });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    JSON.parse(health.body.toString('utf8'));
    const denied = await rawGet(app.adminUrl + report, { 'accept-encoding': 'br, gzip' });
    expect(denied.status).toBe(401);
    expect(denied.headers['content-encoding']).toBeUndefined();
  });

  it('is not on the delivery listener', async () => {
    const r = await rawGet(`${app.deliveryUrl}/api/nothing`, { 'accept-encoding': 'br, gzip' });
    expect(r.status).toBe(404);
    expect(r.headers['content-encoding']).toBeUndefined();
  });
});

describe('a listener', () => {
  it('compresses only with compressJson', async () => {
    const big = { items: Array.from({ length: 2_000 }, (_, i) => ({ i, text: `item ${i}` })) };
    const router = new Router().get('/big', () => big);
    const log = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Parameters<typeof createListener>[0]['log'];
    for (const compressJson of [false, true]) {
      const server = createListener({ name: 'test', router, log, applyHeaders: () => {}, createState: () => ({}), compressJson });
      const { port } = (await listen(server, 0, '127.0.0.1')) as AddressInfo;
      try {
        const r = await rawGet(`http://127.0.0.1:${port}/big`, { 'accept-encoding': 'gzip' });
        expect(r.headers['content-encoding']).toBe(compressJson ? 'gzip' : undefined);
        expect(JSON.parse(decoded(r))).toEqual(big);
      } finally {
        await close(server);
      }
    }
  });
});

describe('chooseEncoding', () => {
  it('prefers br, then gzip, and honours q=0', () => {
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('GZIP')).toBe('gzip');
    expect(chooseEncoding('br;q=0')).toBeNull();
    expect(chooseEncoding('br;q=0, gzip;q=1.0')).toBe('gzip');
    expect(chooseEncoding('gzip;q=0.001')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBeNull();
  });
});
