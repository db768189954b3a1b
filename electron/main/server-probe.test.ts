import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOfPem } from './certificate-pinning';
import { parseServerInfo, probeServer } from './server-probe';
import { makeCert } from '../../node/test/make-cert';

const INFO = { installationId: `ins_${'0'.repeat(31)}1`, name: 'Agency', version: '0.1.0' };
let dir: string;
let cert: string;
let server: https.Server;
let origin: string;
let answer: (res: import('node:http').ServerResponse) => void = (res) => res.end(JSON.stringify(INFO));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-probe-'));
  const pair = makeCert(['localhost']);
  cert = pair.certPem;
  server = https.createServer({ cert, key: pair.keyPem }, (req, res) => {
    if (req.url !== '/api/server-info' || req.method !== 'GET' || req.headers.cookie) return res.writeHead(404).end();
    res.setHeader('content-type', 'application/json');
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('probeServer against a real TLS server', () => {
  it('reads server-info and reports the self-signed certificate’s fingerprint as not CA-trusted', async () => {
    answer = (res) => res.end(JSON.stringify(INFO));
    const result = await probeServer(`${origin}/`);
    expect(result).toMatchObject({ ok: true, adminOrigin: origin, info: INFO, caTrusted: false });
    if (result.ok) {
      expect(result.fingerprint).toBe(fingerprintOfPem(cert));
      expect(result.caError).toMatch(/SELF_SIGNED|self.signed/i);
    }
  });
  it('reports CA trust when the certificate chains to a trusted anchor', async () => {
    const result = await probeServer(origin, { ca: cert });
    expect(result).toMatchObject({ ok: true, caTrusted: true, caError: null });
  });
  it('refuses an answer that is not a server-info', async () => {
    answer = (res) => res.end(JSON.stringify({ installationId: 'nope', name: 'x', version: '1' }));
    expect(await probeServer(origin)).toMatchObject({ ok: false, reason: expect.stringMatching(/server-info/) });
    answer = (res) => res.writeHead(500).end();
    expect(await probeServer(origin)).toMatchObject({ ok: false, reason: expect.stringMatching(/500/) });
    answer = (res) => res.end('x'.repeat(40_000));
    expect(await probeServer(origin)).toMatchObject({ ok: false, reason: expect.stringMatching(/too much/) });
  });
  it('times out on a server that never answers, and says so', async () => {
    answer = () => undefined;
    expect(await probeServer(origin, { timeoutMs: 300 })).toMatchObject({ ok: false, reason: expect.stringMatching(/did not answer/) });
  });
  it('refuses plain http and unreachable servers without a crash', async () => {
    expect(await probeServer(origin.replace('https', 'http'))).toMatchObject({ ok: false, reason: expect.stringMatching(/https/) });
    expect(await probeServer('https://localhost:1')).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be reached/) });
  });
});

describe('parseServerInfo', () => {
  it('takes exactly the fields it knows', () => {
    expect(parseServerInfo(JSON.stringify({ ...INFO, extra: 1 }))).toEqual(INFO);
    expect(parseServerInfo('[]')).toBeNull();
    expect(parseServerInfo(JSON.stringify({ ...INFO, name: 1 }))).toBeNull();
  });
});
