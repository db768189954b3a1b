import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainLogger } from './logger';
import { isPortFree, nodeServerLauncher, ServerStartError, startServerProcess, type ServerLauncher } from './server-process';
import { CONSOLE_CSP } from '../../common/csp';

// The real server bundle (npm test builds it first; alone: `node scripts/build.mjs server`).
const CLI = path.resolve(__dirname, '../../dist/server/cli.js');
let tmp: string;

function collectingLog(): MainLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

function script(name: string, source: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, source);
  return file;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-server-process-'));
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs server\` first.`);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('startServerProcess with the real server', () => {
  it('starts serve on a data directory, waits for readiness, serves the admin API on loopback and stops cleanly', async () => {
    const log = collectingLog();
    const dataDir = path.join(tmp, 'userData', 'data');
    const server = await startServerProcess({ execPath: process.execPath, cliPath: CLI, dataDir, deliveryPort: 0, log });
    try {
      expect(server.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.adminOrigin).toBe(server.adminUrl);
      expect(server.deliveryPortFallback).toBe(false);
      const health = await fetch(`${server.adminUrl}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      // The window enforces the same policy the admin listener sends.
      expect(health.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect((await fetch(`${server.deliveryUrl}/healthz`)).status).toBe(200);
      expect(fs.existsSync(path.join(dataDir, 'store.sqlite'))).toBe(true);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(log.lines.some((l) => /server: .*SIGTERM received/.test(l))).toBe(true);
    expect(log.lines.some((l) => /server: .*stopped$/.test(l))).toBe(true);
    await expect(fetch(`${server.adminUrl}/api/health`)).rejects.toThrow();
    await server.stop(); // idempotent
  });

  it('falls back to a free delivery port when the wanted one is taken, and says so', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    expect(await isPortFree(busy, '0.0.0.0')).toBe(false);
    const log = collectingLog();
    const server = await startServerProcess({ execPath: process.execPath, cliPath: CLI, dataDir: path.join(tmp, 'd2'), deliveryPort: busy, log });
    try {
      expect(server.deliveryPortFallback).toBe(true);
      expect(new URL(server.deliveryUrl).port).not.toBe(String(busy));
      expect((await fetch(`${server.deliveryUrl}/healthz`)).status).toBe(200);
      expect(log.lines.some((l) => l.startsWith('warn') && l.includes(`port ${busy} is in use`))).toBe(true);
    } finally {
      await server.stop();
      blocker.close();
    }
  });
});

describe('startServerProcess failures', () => {
  const READY =
    "console.log('x INFO  delivery listening on 0.0.0.0:1 (all interfaces; http://127.0.0.1:1 from this computer)'); console.log('x INFO  admin listening on http://127.0.0.1:2');";

  it('rejects with what the server said when it exits before it is ready', async () => {
    const cli = script('exits.mjs', "console.error('creative-engine serve: cannot open the store: disk full'); process.exit(1);");
    const err = await startServerProcess({ execPath: process.execPath, cliPath: cli, dataDir: tmp, deliveryPort: 0, log: collectingLog() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerStartError);
    expect((err as Error).message).toBe('The embedded server stopped before it was ready (exit code 1): creative-engine serve: cannot open the store: disk full');
  });

  it('names the error of a crash, not the stack or the Node.js version', async () => {
    const cli = script('crashes.mjs', "throw new Error('the store is locked by another process');");
    const err = await startServerProcess({ execPath: process.execPath, cliPath: cli, dataDir: tmp, deliveryPort: 0, log: collectingLog() }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/\(exit code 1\): Error: the store is locked by another process$/);
  });

  it('gives up after the ready timeout and kills the process', async () => {
    const pidFile = path.join(tmp, 'hang.pid');
    const cli = script('hangs.mjs', `import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid))); setInterval(() => {}, 1000);`);
    const started = Date.now();
    const err = await startServerProcess({ execPath: process.execPath, cliPath: cli, dataDir: tmp, deliveryPort: 0, readyTimeoutMs: 500, log: collectingLog() }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/not ready within 0.5 s/);
    expect(Date.now() - started).toBeLessThan(5000);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(); // gone
  });

  it('kills a server that ignores SIGTERM once the stop timeout has passed', async () => {
    const cli = script('stubborn.mjs', `process.on('SIGTERM', () => {}); ${READY} setInterval(() => {}, 1000);`);
    const log = collectingLog();
    const server = await startServerProcess({ execPath: process.execPath, cliPath: cli, dataDir: tmp, deliveryPort: 0, stopTimeoutMs: 300, log });
    expect(server.adminUrl).toBe('http://127.0.0.1:2');
    await server.stop();
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(log.lines.some((l) => /did not stop within 0.3 s; killing it/.test(l))).toBe(true);
  });

  it('reports a missing executable as a start error', async () => {
    const err = await startServerProcess({ execPath: path.join(tmp, 'no-such-binary'), cliPath: CLI, dataDir: tmp, deliveryPort: 0, log: collectingLog() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerStartError);
    expect((err as Error).message).toMatch(/could not be started: .*ENOENT/);
  });
});

describe('the injectable launcher (utilityProcess in the app, node here)', () => {
  it('starts the real server through the given launcher, binds delivery to 127.0.0.1 by default, and stops it', async () => {
    const calls: { modulePath: string; args: string[] }[] = [];
    const node = nodeServerLauncher(process.execPath);
    const launch: ServerLauncher = (modulePath, args, env) => {
      calls.push({ modulePath, args });
      return node(modulePath, args, env);
    };
    const server = await startServerProcess({ launch, cliPath: CLI, dataDir: path.join(tmp, 'launcher'), deliveryPort: 0, log: collectingLog() });
    try {
      expect(calls).toHaveLength(1);
      expect(calls[0]!.modulePath).toBe(CLI);
      expect(calls[0]!.args.slice(0, 3)).toEqual(['serve', '--data', path.join(tmp, 'launcher')]);
      expect(calls[0]!.args).toEqual(expect.arrayContaining(['--delivery-host', '127.0.0.1', '--admin-host', '127.0.0.1']));
      // One delivery process on a desk.
      expect(calls[0]!.args.join(' ')).toContain('--workers 1');
      expect(server.deliveryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${server.deliveryUrl}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toMatchObject({ code: 0 }); // SIGTERM: flushed and stopped cleanly
  });
});
