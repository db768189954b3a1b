// npm run bench: the delivery benchmark. Starts the built server (bin/creative-engine.js serve) on a
// temporary data directory loaded with the demo data, and a bare node:http server, both pinned to
// core 0; drives each in turn with the same load from core 1 (wrk, else autocannon), 127.0.0.1 only;
// prints requests/s and p50/p99 latency for the bare server, /v1/decision, /v1/imp and /v1/click,
// the ratio decision/bare (target ≥ 0.70) and the server's memory after the run.
//
// Environment: BENCH_SECONDS (default 10, split over BENCH_ROUNDS interleaved rounds, default 2),
// BENCH_CONNECTIONS (50), BENCH_WARMUP_SECONDS (3),
// BENCH_TOKENS (2000 decisions collected for the imp/click runs), BENCH_CPU_PROF=1 to write a
// V8 CPU profile of the server to bench/profiles/, BENCH_ONLY_DECISION=1 (bare and decision only),
// BENCH_CLI (path of the CLI to run).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load, pinned } from './load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
// BENCH_CLI runs another build of the CLI (e.g. a private copy while others rebuild dist/).
const cli = path.resolve(process.env.BENCH_CLI ?? path.join(root, 'bin', 'creative-engine.js'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const TARGET = 0.7;
/** BENCH_ONLY_DECISION=1 measures just the bare server and /v1/decision (for profiling). */
const ONLY_DECISION = Boolean(process.env.BENCH_ONLY_DECISION);
const SERVER_CORE = 0;
const LOAD_CORE = 1;

/** Starts a process and resolves once a line of its output matches `pattern` (group 1: the URL). */
function start(argv, pattern, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${argv.join(' ')}:\n${out}`)), 30_000);
    const fail = (err) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => fail(new Error(`${argv.join(' ')} exited with ${code}:\n${out}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** CPU seconds (user + system, all threads) a process has used so far. */
const cpuSeconds = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
};
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/** Makes `count` decisions (10 at a time) and returns their impression and click paths. */
async function collectTokens(origin, zoneId, count) {
  const imp = [];
  const click = [];
  const one = async () => {
    const res = await fetch(`${origin}/v1/decision?zone=${zoneId}`);
    if (res.status !== 200) throw new Error(`decision answered ${res.status}; the demo data should always serve an ad`);
    const d = await res.json();
    imp.push(new URL(d.impressionUrl).pathname);
    click.push(new URL(d.clickUrl).pathname);
  };
  for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, one));
  return { imp, click };
}

async function main() {
  if (!process.env.BENCH_CLI && !fs.existsSync(path.join(root, 'dist', 'server', 'cli.js'))) throw new Error('Build first: npm run build (npm run bench does it).');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-'));
  const keyFile = `${dataDir}.data-key`;
  const profileDir = path.join(here, 'profiles');
  let engine;
  let bare;
  try {
    const demo = spawnSync(process.execPath, [cli, 'demo', '--data', dataDir], { cwd: root, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr || demo.stdout}`);
    const zoneId = /^zone (zon_[a-z2-7]{16})/m.exec(demo.stdout)?.[1];
    if (!zoneId) throw new Error(`no zone in the demo output:\n${demo.stdout}`);

    const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const serveArgs = ['serve', '--data', dataDir, '--data-key-file', keyFile, '--delivery-host', '127.0.0.1', '--delivery-port', '0', '--admin-port', '0', '--portal-port', '0'];
    engine = await start(pinned(SERVER_CORE, [process.execPath, ...nodeArgs, cli, ...serveArgs]), /delivery listening on (\S+)/);
    bare = await start(pinned(SERVER_CORE, [process.execPath, path.join(here, 'bare-server.mjs')]), /listening (\S+)/);

    const tokens = await collectTokens(engine.url, zoneId, ONLY_DECISION ? 10 : TOKENS);
    const targets = [
      { name: 'bare node:http /', origin: bare.url, paths: ['/'] },
      { name: '/v1/decision', origin: engine.url, paths: [`/v1/decision?zone=${zoneId}`] },
      { name: '/v1/imp/TOKEN', origin: engine.url, paths: tokens.imp },
      { name: '/v1/click/TOKEN', origin: engine.url, paths: tokens.click },
    ].slice(0, ONLY_DECISION ? 2 : 4);
    console.log(`server: ${engine.url} (core ${SERVER_CORE}), bare: ${bare.url} (core ${SERVER_CORE}), load: core ${LOAD_CORE}, ${CONNECTIONS} connections, ${SECONDS} s per target after ${WARMUP} s warm-up`);
    // Load on a shared machine drifts: every target runs in each of ROUNDS interleaved slices, so
    // drift hits them alike. Requests/s and CPU per request come from the totals; latencies are
    // the median of the slices' percentiles.
    for (const t of targets) {
      if (WARMUP > 0) await load({ origin: t.origin, paths: t.paths, seconds: WARMUP, connections: CONNECTIONS, core: LOAD_CORE });
    }
    const slices = targets.map(() => []);
    const slice = Math.max(1, Math.round(SECONDS / ROUNDS));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, t] of targets.entries()) {
        const pid = (t.origin === bare.url ? bare : engine).child.pid;
        const cpuBefore = cpuSeconds(pid);
        const r = await load({ origin: t.origin, paths: t.paths, seconds: slice, connections: CONNECTIONS, core: LOAD_CORE });
        slices[i].push({ ...r, seconds: slice, cpu: cpuSeconds(pid) - cpuBefore });
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const results = targets.map((t, i) => {
      const ss = slices[i];
      const total = ss.reduce((a, x) => a + x.total, 0);
      return {
        ...t,
        tool: ss[0].tool,
        rps: total / ss.reduce((a, x) => a + x.seconds, 0),
        p50: median(ss.map((x) => x.p50)),
        p99: median(ss.map((x) => x.p99)),
        errors: ss.reduce((a, x) => a + x.errors, 0),
        // CPU time per request depends far less than requests/s on what else runs on the machine.
        cpuUs: (ss.reduce((a, x) => a + x.cpu, 0) / total) * 1e6,
      };
    });
    console.log(`measured with ${results[0].tool}: ${ROUNDS} interleaved rounds of ${slice} s per target`);
    const rss = rssMb(engine.child.pid);
    const check = await fetch(`${engine.url}/v1/decision?zone=${zoneId}`);
    if (check.status !== 200) throw new Error(`after the run the decision answered ${check.status}, not 200: the figures would not be comparable`);

    const pad = (s, n) => String(s).padStart(n);
    console.log('');
    console.log(`${'target'.padEnd(20)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('CPU µs/req', 12)}`);
    for (const r of results) {
      console.log(`${r.name.padEnd(20)}${pad(Math.round(r.rps), 10)}${pad(r.p50.toFixed(2), 9)}${pad(r.p99.toFixed(2), 9)}${pad(r.errors, 8)}${pad(r.cpuUs.toFixed(1), 12)}`);
    }
    const ratio = results[1].rps / results[0].rps;
    const cpuRatio = results[0].cpuUs / results[1].cpuUs;
    console.log('');
    console.log(`ratio /v1/decision ÷ bare: ${ratio.toFixed(2)} (target ≥ ${TARGET}) ${ratio >= TARGET ? 'met' : 'NOT met'}`);
    console.log(`ratio from CPU time per request (bare ÷ decision, robust to other load on the machine): ${cpuRatio.toFixed(2)}`);
    console.log(`server RSS after the run: ${rss.toFixed(1)} MB`);
    if (results.some((r) => r.errors > 0)) console.log('note: some responses were errors (non-2xx/3xx or timeouts); see the errors column');
  } finally {
    if (bare) await stop(bare.child);
    if (engine) await stop(engine.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(keyFile, { force: true });
    if (process.env.BENCH_CPU_PROF) console.log(`CPU profile written to ${profileDir}`);
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
