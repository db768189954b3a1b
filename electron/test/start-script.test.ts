import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOutputs,
  consoleUrlFrom,
  electronEnv,
  findElectron,
  headlessCommand,
  launchDecision,
  needsBuild,
  portFromEnv,
  portalUrlFrom,
  readyMessage,
} from '../../scripts/start-lib.mjs';

const ROOT = path.resolve(__dirname, '../..');
let tmp: string;
beforeAll(() => void (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-start-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, file: string, mtime: number, mode = 0o644) {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, '');
  fs.chmodSync(full, mode);
  fs.utimesSync(full, mtime, mtime);
}

describe('needsBuild', () => {
  it('builds when an output is missing or a source is newer than the oldest output; ignores tests', () => {
    const root = path.join(tmp, 'project');
    write(root, 'server/app.ts', 1000);
    write(root, 'electron/main/main.ts', 1000);
    write(root, 'renderer/index.html', 1000);
    expect(buildOutputs(root)).toEqual(['dist/server/cli.js', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/setup-preload.cjs', 'dist/electron/setup/setup.js', 'dist/renderer/index.html']);
    write(root, 'renderer/portal/index.html', 1000);
    expect(buildOutputs(root).at(-1)).toBe('dist/portal/index.html');
    expect(needsBuild(root)).toEqual({ build: true, reason: 'dist/server/cli.js is missing' });
    for (const output of buildOutputs(root)) write(root, output, 2000);
    expect(needsBuild(root)).toEqual({ build: false, reason: 'the build is up to date' });
    write(root, 'server/app.test.ts', 3000);
    write(root, 'server/node_modules/x.js', 3000);
    expect(needsBuild(root).build).toBe(false);
    write(root, 'renderer/portal/views/NewView.vue', 3000);
    expect(needsBuild(root)).toEqual({ build: true, reason: path.join('renderer', 'portal', 'views', 'NewView.vue') + ' changed since the last build' });
    write(root, 'dist/portal/index.html', 4000);
    for (const output of buildOutputs(root)) write(root, output, 4000);
    write(root, 'common/schemas/deep/new.ts', 5000);
    expect(needsBuild(root)).toEqual({ build: true, reason: path.join('common', 'schemas', 'deep', 'new.ts') + ' changed since the last build' });
  });
});

describe('findElectron and launchDecision', () => {
  it('finds the binary like require("electron") does, without downloading it', () => {
    const root = path.join(tmp, 'electron-project');
    expect(findElectron(root)).toEqual({ ok: false, reason: 'the electron package is not installed' });
    write(root, 'node_modules/electron/package.json', 1000);
    expect(findElectron(root, {})).toMatchObject({ ok: false, reason: expect.stringMatching(/never downloaded/) });
    fs.writeFileSync(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    expect(findElectron(root, {})).toMatchObject({ ok: false, reason: expect.stringMatching(/missing or not executable/) });
    write(root, 'node_modules/electron/dist/electron', 1000, 0o644);
    expect(findElectron(root, {}, 'linux').ok).toBe(false);
    fs.chmodSync(path.join(root, 'node_modules/electron/dist/electron'), 0o755);
    expect(findElectron(root, {}, 'linux')).toEqual({ ok: true, path: path.join(root, 'node_modules/electron/dist/electron') });
    write(root, 'custom/electron', 1000, 0o755);
    expect(findElectron(root, { ELECTRON_OVERRIDE_DIST_PATH: path.join(root, 'custom') }, 'linux')).toEqual({ ok: true, path: path.join(root, 'custom/electron') });
  });

  it('runs headless when asked, when the binary is missing or without a display', () => {
    const electron = { ok: true as const, path: '/x/electron' };
    expect(launchDecision({ electron, env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ mode: 'electron', path: '/x/electron' });
    expect(launchDecision({ electron, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).mode).toBe('electron');
    expect(launchDecision({ electron, env: {}, platform: 'darwin' }).mode).toBe('electron');
    expect(launchDecision({ electron, env: {}, platform: 'win32' }).mode).toBe('electron');
    expect(launchDecision({ electron, env: {}, platform: 'linux' })).toEqual({ mode: 'headless', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' });
    expect(launchDecision({ electron, env: { DISPLAY: ':0', CREATIVE_ENGINE_HEADLESS: '1' }, platform: 'linux' })).toEqual({ mode: 'headless', reason: 'CREATIVE_ENGINE_HEADLESS is set' });
    expect(launchDecision({ electron: { ok: false, reason: 'no binary' }, env: { DISPLAY: ':0' }, platform: 'linux' })).toEqual({ mode: 'headless', reason: 'no binary' });
  });

  it('never lets Electron run as plain Node, and hands it node for the server', () => {
    expect(electronEnv({ ELECTRON_RUN_AS_NODE: '1', PATH: '/bin' }, '/usr/bin/node')).toEqual({ PATH: '/bin', CREATIVE_ENGINE_SERVER_NODE: '/usr/bin/node' });
  });
});

describe('headlessCommand', () => {
  it('serves $CREATIVE_ENGINE_DATA or ./data with the ports from the environment', () => {
    const bus = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/bus' };
    expect(headlessCommand({ root: '/app', env: bus, cwd: '/work' })).toEqual({
      args: [path.join('/app', 'bin', 'creative-engine.js'), 'serve', '--data', path.resolve('/work/data')],
      dataDir: path.resolve('/work/data'),
    });
    const env = { ...bus, CREATIVE_ENGINE_DATA: 'state', CREATIVE_ENGINE_ADMIN_PORT: '9001', CREATIVE_ENGINE_DELIVERY_PORT: '0', CREATIVE_ENGINE_PORTAL_PORT: '9443' };
    expect(headlessCommand({ root: '/app', env, cwd: '/work' }).args.slice(1)).toEqual([
      'serve', '--data', path.resolve('/work/state'), '--admin-port', '9001', '--delivery-port', '0', '--portal-port', '9443',
    ]);
    expect(() => headlessCommand({ root: '/app', env: { ...bus, CREATIVE_ENGINE_PORTAL_PORT: 'x' }, cwd: '/work' })).toThrow(/^CREATIVE_ENGINE_PORTAL_PORT must be a port number/);
  });

  it('keeps the data key in a file beside the data directory when no keychain can answer (Linux without D-Bus)', () => {
    const args = headlessCommand({ root: '/app', env: {}, cwd: '/work' }).args;
    if (process.platform === 'linux') expect(args.slice(-2)).toEqual(['--data-key-file', `${path.resolve('/work/data')}.data-key`]);
    expect(headlessCommand({ root: '/app', env: { CREATIVE_ENGINE_DATA_KEY_FILE: '/keys/k' }, cwd: '/work' }).args).not.toContain('--data-key-file');
  });

  it('refuses ports that are not ports, naming the variable', () => {
    expect(portFromEnv({}, 'X')).toBeUndefined();
    expect(portFromEnv({ X: '' }, 'X')).toBeUndefined();
    expect(portFromEnv({ X: '65535' }, 'X')).toBe(65535);
    for (const bad of ['abc', '70000', '-1', '80 ', '1e3']) expect(() => portFromEnv({ X: bad }, 'X')).toThrow(/^X must be a port number/);
  });
});

describe('readiness output', () => {
  it('reads the console URL from the serve log line and tells the user what to do', () => {
    expect(consoleUrlFrom('2025-01-01T00:00:00.000Z INFO  admin listening on http://127.0.0.1:8081')).toBe('http://127.0.0.1:8081/');
    expect(consoleUrlFrom('2025-01-01T00:00:00.000Z INFO  admin listening on https://[::1]:8081')).toBe('https://[::1]:8081/');
    expect(consoleUrlFrom('x INFO  admin listening on 0.0.0.0:8081 (all interfaces; https://127.0.0.1:8081 from this computer)')).toBe('https://127.0.0.1:8081/');
    expect(consoleUrlFrom('2025-01-01T00:00:00.000Z INFO  delivery listening on 0.0.0.0:8080 (all interfaces; http://127.0.0.1:8080 from this computer)')).toBeNull();
    expect(consoleUrlFrom('2025-01-01T00:00:00.000Z INFO  portal listening on http://127.0.0.1:8082')).toBeNull();
    expect(portalUrlFrom('2025-01-01T00:00:00.000Z INFO  portal listening on http://127.0.0.1:8082')).toBe('http://127.0.0.1:8082/');
    expect(portalUrlFrom('x INFO  portal listening on 0.0.0.0:8443 (all interfaces; https://127.0.0.1:8443 from this computer)')).toBe('https://127.0.0.1:8443/');
    expect(portalUrlFrom('2025-01-01T00:00:00.000Z INFO  admin listening on http://127.0.0.1:8081')).toBeNull();
    expect(readyMessage('http://127.0.0.1:8081/', { needsSetup: false }, '/d')).toBe('Open the console: http://127.0.0.1:8081/');
    expect(readyMessage('http://127.0.0.1:8081/', null, '/d')).toBe('Open the console: http://127.0.0.1:8081/');
    expect(readyMessage('http://127.0.0.1:8081/', { needsSetup: true }, '/d').split('\n')[1]).toMatch(/first-run page creates the first admin .*creative-engine init --data "\/d"/);
  });
});

describe('npm start without Electron (integration)', () => {
  it('says why in one line, serves headless on the data directory, prints the console and portal URLs and stops on SIGINT', async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/server/cli.js'))) throw new Error('dist/server/cli.js is missing: run `node scripts/build.mjs server` first.');
    const cwd = path.join(tmp, 'cwd');
    fs.mkdirSync(cwd);
    const env: NodeJS.ProcessEnv = { ...process.env, CREATIVE_ENGINE_DATA: path.join(tmp, 'headless-data'), CREATIVE_ENGINE_ADMIN_PORT: '0', CREATIVE_ENGINE_DELIVERY_PORT: '0', CREATIVE_ENGINE_PORTAL_PORT: '0', CREATIVE_ENGINE_NO_BUILD: '1' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const lineWaiters: Array<() => void> = [];
    /** Resolves when a line matching `test` has been printed. */
    const printed = (test: (l: string) => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (lines.some(test) ? (resolve(), true) : false);
        if (!check()) lineWaiters.push(() => void check());
      });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`${why}:\n${lines.join('\n')}\n${stderr}`));
      const timer = setTimeout(() => fail('no console URL within 20 s'), 20_000);
      void exited.then((code) => {
        clearTimeout(timer);
        fail(`npm start exited (${code}) before printing the console URL`);
      });
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        for (const waiter of lineWaiters) waiter();
        const match = /^Open the console: (\S+)$/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    try {
      expect(lines.filter((l) => l.startsWith('npm start: Electron cannot start here:'))).toHaveLength(1);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const health = await fetch(new URL('api/health', url));
      expect(health.status).toBe(200);
      expect(fs.existsSync(path.join(tmp, 'headless-data', 'store.sqlite'))).toBe(true);
      // The portal listens on a port of its own (0 picked a free one) and serves the built customer portal.
      await printed((l) => /^Customer portal: http:\/\/127\.0\.0\.1:\d+\/$/.test(l));
      const portalUrl = lines.find((l) => l.startsWith('Customer portal: '))!.slice('Customer portal: '.length);
      expect(new URL(portalUrl).port).not.toBe(new URL(url).port);
      const portalPage = await fetch(portalUrl);
      expect(portalPage.status).toBe(200);
      expect(await portalPage.text()).toContain('<title>Kundenportal</title>');
      const setup = await fetch(new URL('api/setup', url));
      if (setup.ok && ((await setup.json()) as { needsSetup?: boolean }).needsSetup) {
        // The hint follows the URL line (the test's timeout catches a hint that never comes).
        await printed((l) => l.includes('first-run page creates the first admin'));
      }
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // Forwarded exactly once: the server flushed and stopped instead of being cut off by a second signal.
    expect(lines.filter((l) => l.includes('SIGINT received'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/stopped$/);
  });
});
