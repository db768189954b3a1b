// npm run bench:console — the console's size and speed. Builds the console (and the server if it was
// never built), prints the initial JS bundle (what index.html loads before anything else: entry +
// modulepreloads) and everything the dashboard needs, gzip-compressed as a server would send them
// (node:zlib, level 9),
// then starts the built server on a temporary data directory with the demo data and measures, in
// Debian's Chromium, the time from navigation start to the dashboard's first render and to the
// dashboard with its data (performance marks set by DashboardView), plus first contentful paint.
// Median of BENCH_RUNS (default 7) runs, each in a fresh browser context (cold cache), and of
// the same number of reloads in one context (warm cache).
//
// Environment: BENCH_RUNS (7), BENCH_NO_BUILD=1 (use dist/ as it is), BENCH_CLI (path of the CLI to
// run; it serves the console from its own package's dist/renderer), CHROMIUM_PATH (/usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist', 'renderer');
// BENCH_CLI runs another build of the CLI (e.g. a private copy while others rebuild dist/).
const cli = path.resolve(process.env.BENCH_CLI ?? path.join(root, 'bin', 'creative-engine.js'));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const EMAIL = 'bench@example.test';
const PASSWORD = 'bench password 12345';

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Builds the console; the server only when it has not been built (it serves, it is not measured). */
function build() {
  if (process.env.BENCH_NO_BUILD) return;
  const parts = fs.existsSync(path.join(root, 'dist', 'server', 'cli.js')) ? ['renderer'] : ['server', 'renderer'];
  const r = spawnSync(process.execPath, ['scripts/build.mjs', ...parts], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

/** The JS index.html loads up front: the entry script and its modulepreloads. */
function initialBundle() {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/([^"]+\.css)"/g)].map((m) => m[1]);
  const all = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  return {
    files,
    js: files.reduce((s, f) => s + gz(path.join(dist, f)), 0),
    raw: files.reduce((s, f) => s + fs.statSync(path.join(dist, f)).size, 0),
    css: css.reduce((s, f) => s + gz(path.join(dist, f)), 0),
    allJs: all.reduce((s, f) => s + gz(path.join(dist, 'assets', f)), 0),
    chunks: all.length,
  };
}

// The data key lives outside the data directory; without an OS keychain it comes from this file.
let env = process.env;

function run(args, input) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
}

/** Starts `serve` and resolves with the admin URL once it is listening. */
function serve(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', '--data', dataDir, '--admin-port', '0', '--portal-port', '0', '--delivery-port', '0', '--delivery-host', '127.0.0.1'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const seen = (d) => {
      out += d;
      const m = /admin listening on (http:\/\/[^\s/]+)/.exec(out); // format: common/listen-line.ts
      if (m) {
        clearTimeout(timer);
        resolve({ child, adminUrl: m[1] });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

/** Navigation start → marks and first contentful paint, read from the page's performance timeline. */
async function measure(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('ce:dashboard-ready').length > 0, undefined, { timeout: 30_000 });
  return page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    rendered: performance.getEntriesByName('ce:dashboard-rendered')[0].startTime,
    ready: performance.getEntriesByName('ce:dashboard-ready')[0].startTime,
    js: performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.js'))
      .map((e) => new URL(e.name).pathname.slice(1)),
  }));
}

build();
const bundle = initialBundle();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-console-'));
env = { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${dataDir}.data-key` };
let server;
let browser;
try {
  run(['init', '--data', dataDir, '--admin-email', EMAIL, '--password-stdin'], PASSWORD);
  run(['demo', '--data', dataDir]);
  server = await serve(dataDir);
  const login = await fetch(`${server.adminUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const sid = /sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const newContext = async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    await context.addCookies([{ name: 'sid', value: sid, url: server.adminUrl, httpOnly: true, sameSite: 'Strict' }]);
    return context;
  };
  // Warm up Chromium itself once, then measure.
  const warmup = await newContext();
  await measure(await warmup.newPage(), `${server.adminUrl}/`);
  await warmup.close();
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await newContext();
    cold.push(await measure(await context.newPage(), `${server.adminUrl}/`));
    await context.close();
  }
  const warmContext = await newContext();
  const warmPage = await warmContext.newPage();
  await measure(warmPage, `${server.adminUrl}/`);
  const warm = [];
  for (let i = 0; i < RUNS; i++) warm.push(await measure(warmPage, `${server.adminUrl}/`));
  const dashboardJs = [...new Set(cold[0].js)].filter((f) => fs.existsSync(path.join(dist, f)));
  const dashboardGz = dashboardJs.reduce((s, f) => s + gz(path.join(dist, f)), 0);

  const ms = (xs, k) => `${median(xs.map((x) => x[k])).toFixed(0)} ms`;
  console.log('console bundle (gzip level 9)');
  console.log(`  initial JS (index.html: ${bundle.files.length} file${bundle.files.length === 1 ? '' : 's'}): ${kib(bundle.js)} (${kib(bundle.raw)} minified)`);
  console.log(`  initial CSS: ${kib(bundle.css)}`);
  console.log(`  JS loaded for the dashboard (${dashboardJs.length} files): ${kib(dashboardGz)}`);
  console.log(`  all JS chunks (${bundle.chunks}, most loaded only when their view opens): ${kib(bundle.allJs)}`);
  console.log(`dashboard in Chromium, signed in, median of ${RUNS} runs (from navigation start)`);
  console.log(`  cold cache: first contentful paint ${ms(cold, 'fcp')}, first render ${ms(cold, 'rendered')}, with data ${ms(cold, 'ready')}`);
  console.log(`  warm cache: first contentful paint ${ms(warm, 'fcp')}, first render ${ms(warm, 'rendered')}, with data ${ms(warm, 'ready')}`);
} finally {
  await browser?.close();
  if (server) {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.data-key`, { force: true });
}
