/**
 * Abusive request streams against every route of both listeners, sent over raw sockets to the real
 * server running in a child process: chunked bodies past the limit, declared-oversized bodies,
 * bodies aborted midway, pipelined requests and broken chunk framing. No answer may be 5xx, and after
 * each route the process must still be alive and healthy. One such request once stopped the server
 * (a chunked POST /v1/contact past 8 KiB: the access-record hook read a socket that was gone).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenerUrlsIn } from '../../common/listen-line';
import { packageRoot } from '../config';
import { signIn, type AdminClient } from '../test/admin-client';
import { seedCatalog } from '../test/catalog-fixture';
import { startTestApp } from '../test/test-app';

const CLI = path.join(packageRoot(), 'bin/creative-engine.js');
const EMAIL = 'stream-abuse@agency.example';
const PASSWORD = 'a long enough admin password';

interface Target {
  listener: 'delivery' | 'admin';
  method: string;
  path: string;
}

let dir: string;
let server: ChildProcess;
let output = '';
let urls: { delivery: URL; admin: URL };
let admin: AdminClient;
let routes: Target[];
const ids: Record<string, string> = {};

/** Writes `parts` to a fresh connection (pausing between parts) and collects what comes back until close or `waitMs`. */
function exchange(base: URL, parts: Array<string | Buffer>, options: { waitMs?: number; abortAfterWrite?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const received: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(received).toString('latin1'));
    };
    const timer = setTimeout(done, options.waitMs ?? 3_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', done);
    socket.on('error', () => done()); // EPIPE/ECONNRESET: the server refused the rest, which is fine
    socket.on('connect', () => void (async () => {
      for (const part of parts) {
        if (socket.destroyed) return;
        socket.write(part);
        await new Promise((r) => setImmediate(r));
      }
      if (options.abortAfterWrite) setTimeout(done, 20);
    })());
  });
}

/** Status codes of every response in a raw exchange (pipelined answers come one after another). */
const statuses = (raw: string) => [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));

function head(target: Target, extra: string[], close = true): string {
  const lines = [`${target.method} ${target.path} HTTP/1.1`, `host: ${urls[target.listener].host}`, 'content-type: application/json', 'x-requested-with: creative-engine'];
  if (close) lines.push('connection: close');
  if (target.listener === 'admin' && admin.cookie) lines.push(`cookie: ${admin.cookie}`);
  return `${[...lines, ...extra].join('\r\n')}\r\n\r\n`;
}

const chunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;

/** The abusive streams, each with the answers it may get (none may be 5xx). */
function scenarios(t: Target): Array<{ name: string; parts: Array<string | Buffer>; abort?: boolean; waitMs?: number }> {
  const big = 'x'.repeat(64 * 1024);
  const oversizedChunks = Array.from({ length: 32 }, () => chunk(big)); // 2 MiB, past every body limit
  const health = t.listener === 'delivery' ? '/healthz' : '/api/health';
  return [
    { name: 'chunked past the limit', parts: [head(t, ['transfer-encoding: chunked']), ...oversizedChunks, '0\r\n\r\n'] },
    { name: 'declared oversized', parts: [head(t, [`content-length: ${10 * 1024 * 1024}`]), big], waitMs: 500 },
    { name: 'aborted mid-body', parts: [head(t, ['content-length: 1000']), '{"name":"'], abort: true },
    { name: 'aborted mid-chunk', parts: [head(t, ['transfer-encoding: chunked']), 'ffff\r\n{"name":'], abort: true },
    { name: 'aborted after a large chunked part', parts: [head(t, ['transfer-encoding: chunked']), ...oversizedChunks.slice(0, 4)], abort: true },
    { name: 'broken chunk framing', parts: [head(t, ['transfer-encoding: chunked']), 'zz\r\n{}\r\n0\r\n\r\n'] },
    {
      name: 'pipelined',
      parts: [head(t, ['content-length: 2'], false) + '{}' + head(t, ['transfer-encoding: chunked'], false) + chunk('{}') + '0\r\n\r\n' + `GET ${health} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`],
    },
  ];
}

async function alive(): Promise<void> {
  expect(server.exitCode, `the server exited:\n${output.slice(-2000)}`).toBeNull();
  expect((await fetch(`${urls.delivery.origin}/healthz`)).status).toBeLessThan(500);
  expect((await fetch(`${urls.admin.origin}/api/health`)).status).toBe(200);
}

/** A route's path with every parameter filled: a real id where one exists, so handlers read the body. */
function fill(route: { path: string }): string {
  return route.path.replace(/:(\w+)/g, (_m, _name: string, offset: number) => {
    const collection = route.path.slice(0, offset).split('/').filter(Boolean).pop() ?? '';
    return ids[collection] ?? 'unknown_0';
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(packageRoot(), 'dist/server/cli.js'))) throw new Error('dist/server/cli.js is missing: run `node scripts/build.mjs server` first.');
  // The route table comes from the app itself, so a route added later is abused too.
  const probe = await startTestApp();
  routes = [
    ...probe.routes.delivery.map((r) => ({ listener: 'delivery' as const, ...r })),
    ...probe.routes.admin.map((r) => ({ listener: 'admin' as const, ...r })),
  ];
  await probe.dispose();

  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-abuse-'));
  const data = path.join(dir, 'data');
  // The data key goes to a file beside the data directory: the test needs no keychain.
  const env = { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: path.join(dir, 'data.key') };
  const init = spawnSync(process.execPath, [CLI, 'init', '--data', data, '--admin-email', EMAIL, '--password-stdin'], { input: `${PASSWORD}\n`, encoding: 'utf8', env });
  expect(init.status, init.stderr).toBe(0);
  server = spawn(process.execPath, [CLI, 'serve', '--data', data, '--delivery-port', '0', '--admin-port', '0', '--portal-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  urls = await new Promise((resolve, reject) => {
    const check = () => {
      const { delivery: d, admin: a } = listenerUrlsIn(output);
      if (d && a) resolve({ delivery: new URL(d), admin: new URL(a) });
    };
    server.stdout!.on('data', check);
    server.once('exit', () => reject(new Error(`serve exited:\n${output}`)));
  });
  admin = await signIn({ adminUrl: urls.admin.origin }, EMAIL, PASSWORD);
  const cat = await seedCatalog(admin);
  Object.assign(ids, { customers: cat.advertiser.id, sites: cat.site.id, zones: cat.zones[0]!.id, campaigns: cat.campaign.id, creatives: cat.creatives[0]!.id, users: admin.user!.id });
}, 60_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('abusive request streams against every route', () => {
  it('never answer 5xx and never stop the process', async () => {
    expect(routes.length).toBeGreaterThan(70);
    const found: string[] = [];
    for (const route of routes) {
      const target = { ...route, path: fill(route) };
      for (const s of scenarios(target)) {
        const raw = await exchange(urls[route.listener], s.parts, { abortAfterWrite: s.abort, waitMs: s.waitMs });
        const bad = statuses(raw).filter((status) => status >= 500);
        if (bad.length) found.push(`${route.method} ${route.path} [${s.name}]: ${bad.join(', ')}`);
        if (s.name === 'pipelined' && statuses(raw).length === 0) found.push(`${route.method} ${route.path} [pipelined]: no answer`);
      }
      // Finish hooks run on the response's close event, just after the socket goes: give them a turn.
      await new Promise((r) => setTimeout(r, 5));
      await alive();
      // DELETE /api/session signs the test's admin out: sign in again so later routes get past the session check.
      if (route.listener === 'admin' && (await admin.get('/api/me')).status === 401) admin = await signIn({ adminUrl: urls.admin.origin }, EMAIL, PASSWORD);
    }
    expect(found).toEqual([]);
  }, 240_000);

  it('logs aborted clients as nothing worse than debug lines', () => {
    // A client that goes away mid-body is its own business: no error, no stack trace in the server log.
    expect(output).not.toMatch(/ERROR|unhandled error|\n\s+at /);
  });
});
