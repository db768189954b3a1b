// npm run bench:soak: does the server hold steady under long load? Starts the built server like
// npm run bench (bench/demo-engine.mjs: demo data in a temporary directory, sealing on, pinned to
// core 0) with bench/soak-probe.cjs preloaded (NODE_OPTIONS=--require), which writes the event
// loop's delay and the heap every 10 s. From core 1 (this process pins itself), 127.0.0.1 only:
// measures the highest /v1/decision rate for a few seconds (autocannon or wrk, bench/load.mjs,
// after a short warm-up), then drives a steady, open-loop rate of BENCH_SOAK_RATE_PERCENT of it
// for BENCH_SOAK_SECONDS through a keep-alive agent: page views, each a /v1/decision, followed
// for a share of them by the impression pixel (/v1/imp/TOKEN from the answer) and, for a smaller
// share, by a click (/v1/click/TOKEN after the impression). The rate counts every request, so
// the server is busy about as long as at that share of its decision maximum, or less (pixels and
// clicks cost less than decisions). A page view whose turn comes while BENCH_SOAK_IN_FLIGHT
// requests are open is skipped and counted (the rate then falls short, visibly).
//
// Every 10 s it samples the server's RSS (VmRSS of /proc/PID/status) and the probe's latest line
// (event-loop delay p50/p99/max over the probe's last 10 s, heapUsed), requests, errors and skipped
// page views in the interval, the server's CPU time and the decisions' p99 latency seen by the
// client; prints them as a table and a summary: requests total and per second, errors (non-2xx/3xx
// answers, socket errors, 5 s timeouts), CPU of server and load generator, RSS first/last/max, and
// least-squares slopes through RSS (MB/min) and event-loop p99 (ms/min) over the samples after the
// warm-up. Verdict rule on the RSS slope after the warm-up: "growing" at 0.5 MB/min or more,
// "falling" at −0.5 or less, else "flat"; the warm-up is the first 60 s, or the first third of runs
// shorter than 3 minutes; fewer than 3 samples after it give no verdict. RSS is expected to grow
// somewhat: the server keeps the id of every counted impression and click for its token's lifetime
// (24 h, 7 days), so the summary also gives the slope per 100k impressions and clicks.
//
// Environment: BENCH_SOAK_SECONDS (default 600), BENCH_SOAK_RATE_PERCENT (70: share of the measured
// maximum), BENCH_SOAK_MAX_SECONDS (5: measuring the maximum, after 2 s warm-up),
// BENCH_SOAK_IMP_PERCENT (60: page views followed by the impression pixel), BENCH_SOAK_CLICK_PERCENT
// (5: page views followed by a click; at most the impression share), BENCH_SOAK_IN_FLIGHT (256),
// BENCH_CLI (path of the CLI to run).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, rssMb, startDemoEngine } from './demo-engine.mjs';
import { load, pinSelf } from './load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const RATE_PERCENT = Number(process.env.BENCH_SOAK_RATE_PERCENT ?? 70);
const MAX_SECONDS = Number(process.env.BENCH_SOAK_MAX_SECONDS ?? 5);
const IMP_SHARE = Number(process.env.BENCH_SOAK_IMP_PERCENT ?? 60) / 100;
const CLICK_SHARE = Math.min(IMP_SHARE, Number(process.env.BENCH_SOAK_CLICK_PERCENT ?? 5) / 100);
const IN_FLIGHT = Number(process.env.BENCH_SOAK_IN_FLIGHT ?? 256);
const SAMPLE_SECONDS = 10;
const TIMEOUT_MS = 5000;
const SLOPE_LIMIT = 0.5;
const SERVER_CORE = 0;
const LOAD_CORE = 1;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : NaN);

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx ? points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx : NaN;
}

/** The probe's latest line from the server process, or null before its first. */
function latestProbe(file, pid) {
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((l) => l.pid === pid);
  return lines.at(-1) ?? null;
}

/**
 * Open-loop load on `origin`: page views at `rate × 1 / (1 + imp + click share)` per second, so
 * that all requests together come at `rate`. Counters per interval in `stats`, read and reset by
 * the sampler.
 */
function steadyLoad(origin, zoneId, rate) {
  const { hostname, port } = new URL(origin);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const fresh = () => ({ requests: 0, decisions: 0, imps: 0, clicks: 0, errors: 0, skipped: 0, decisionMs: [] });
  const totals = { ...fresh(), statuses: {} };
  let stats = fresh();
  let inFlight = 0;

  const get = (pathAndQuery, keepBody) =>
    new Promise((resolve) => {
      inFlight++;
      const started = performance.now();
      let settled = false;
      const done = (status, body) => {
        if (settled) return; // a socket error after the answer ended
        settled = true;
        inFlight--;
        const ok = status >= 200 && status < 400;
        stats.requests++;
        totals.requests++;
        if (!ok) {
          stats.errors++;
          totals.errors++;
          totals.statuses[status || 'socket'] = (totals.statuses[status || 'socket'] ?? 0) + 1;
        }
        resolve({ ok, status, body, ms: performance.now() - started });
      };
      const req = http.get({ hostname, port, path: pathAndQuery, agent, timeout: TIMEOUT_MS }, (res) => {
        const chunks = [];
        res.on('data', (c) => keepBody && chunks.push(c));
        res.on('end', () => done(res.statusCode, keepBody ? Buffer.concat(chunks).toString('utf8') : ''));
        res.on('error', () => done(0, ''));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(0, ''));
    });

  const pageView = async () => {
    const d = await get(`/v1/decision?zone=${zoneId}`, true);
    stats.decisions++;
    totals.decisions++;
    stats.decisionMs.push(d.ms);
    if (d.status !== 200) return;
    const roll = Math.random();
    if (roll >= IMP_SHARE) return;
    const answer = JSON.parse(d.body);
    const local = (url) => {
      const u = new URL(url);
      return u.pathname + u.search;
    };
    await get(local(answer.impressionUrl), false);
    stats.imps++;
    totals.imps++;
    if (roll >= CLICK_SHARE) return;
    await get(local(answer.clickUrl), false);
    stats.clicks++;
    totals.clicks++;
  };

  const viewRate = rate / (1 + IMP_SHARE + CLICK_SHARE);
  const t0 = performance.now();
  let started = 0;
  const ticker = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * viewRate) - started;
    for (let i = 0; i < due; i++) {
      started++;
      if (inFlight >= IN_FLIGHT) {
        stats.skipped++;
        totals.skipped++;
      } else {
        pageView().catch(() => {
          // an answer that is not the decision's JSON
          stats.errors++;
          totals.errors++;
          totals.statuses.unreadable = (totals.statuses.unreadable ?? 0) + 1;
        });
      }
    }
  }, 2);

  return {
    totals,
    /** This interval's counters; starts the next. */
    take() {
      const s = stats;
      stats = fresh();
      return s;
    },
    /** Stops starting page views, waits for open requests (at most the timeout) and closes the sockets. */
    async stop() {
      clearInterval(ticker);
      const until = performance.now() + TIMEOUT_MS + 1000;
      while (inFlight > 0 && performance.now() < until) await sleep(20);
      agent.destroy();
    },
  };
}

async function main() {
  pinSelf(LOAD_CORE);
  const probeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ce-soak-')), 'probe.jsonl');
  const probe = `--require ${path.join(here, 'soak-probe.cjs')}`;
  const env = { NODE_OPTIONS: [process.env.NODE_OPTIONS, probe].filter(Boolean).join(' '), BENCH_SOAK_PROBE_FILE: probeFile };
  let engine;
  let steady;
  try {
    // BENCH_CPU_PROF=1: the server writes a CPU profile to bench/profiles/ when it stops.
    const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(here, 'profiles')}`] : [];
    engine = await startDemoEngine({ core: SERVER_CORE, env, nodeArgs });
    const pid = engine.child.pid;
    const decision = [`/v1/decision?zone=${engine.zoneId}`];
    await load({ origin: engine.url, paths: decision, seconds: 2, connections: 50, core: LOAD_CORE });
    const maxCpu0 = cpuSeconds(pid);
    const max = await load({ origin: engine.url, paths: decision, seconds: MAX_SECONDS, connections: 50, core: LOAD_CORE });
    const maxCpu = (cpuSeconds(pid) - maxCpu0) / MAX_SECONDS;
    const rate = (max.rps * RATE_PERCENT) / 100;
    console.log(`server: ${engine.url} (core ${SERVER_CORE}, pid ${pid}, sealing on), load: core ${LOAD_CORE}`);
    console.log(`maximum /v1/decision: ${Math.round(max.rps)} req/s (${max.tool}, ${MAX_SECONDS} s, 50 connections, ${max.errors} errors; server CPU ${Math.round(maxCpu * 100)} % of a core)`);
    console.log(
      `steady: ${Math.round(rate)} req/s (${RATE_PERCENT} %) for ${SECONDS} s; page views: decision, + impression ${Math.round(IMP_SHARE * 100)} %, + click ${Math.round(CLICK_SHARE * 100)} %`,
    );
    await sleep(1000); // let the maximum's backlog drain before the first sample

    const samples = [{ t: 0, rss: rssMb(pid), probe: latestProbe(probeFile, pid) }];
    const serverCpu0 = cpuSeconds(pid);
    const loadCpu0 = process.cpuUsage();
    steady = steadyLoad(engine.url, engine.zoneId, rate);
    const t0 = performance.now();
    for (let i = 1; i * SAMPLE_SECONDS < SECONDS + SAMPLE_SECONDS; i++) {
      const t = Math.min(i * SAMPLE_SECONDS, SECONDS);
      await sleep(t0 + t * 1000 - performance.now());
      const s = steady.take();
      const previous = samples.at(-1);
      const cpu = cpuSeconds(pid);
      const seconds = t - previous.t;
      const serverCpu = (cpu - (previous.cpu ?? serverCpu0)) / seconds;
      samples.push({ t, rss: rssMb(pid), probe: latestProbe(probeFile, pid), ...s, seconds, cpu, serverCpu, decisionMs: s.decisionMs.sort((a, b) => a - b) });
    }
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpu = (cpuSeconds(pid) - serverCpu0) / elapsed;
    const loadUsage = process.cpuUsage(loadCpu0);
    const loadCpu = (loadUsage.user + loadUsage.system) / 1e6 / elapsed;
    await steady.stop();
    const sealedBytes = fs
      .readdirSync(path.join(engine.dataDir, 'sealed'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .reduce((a, e) => a + fs.statSync(path.join(e.parentPath ?? e.path, e.name)).size, 0);

    const pad = (s, n) => String(s).padStart(n);
    const fixed = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '–');
    console.log('');
    console.log(
      `${pad('t s', 5)}${pad('req/s', 8)}${pad('errors', 8)}${pad('skipped', 9)}${pad('srv CPU', 9)}${pad('dec p99 ms', 12)}${pad('RSS MB', 9)}${pad('heap MB', 9)}${pad('loop p50', 10)}${pad('loop p99', 10)}${pad('loop max', 10)}`,
    );
    for (const s of samples) {
      const p = s.probe;
      const rps = s.seconds ? s.requests / s.seconds : NaN;
      console.log(
        `${pad(s.t, 5)}${pad(fixed(rps, 0), 8)}${pad(s.errors ?? '–', 8)}${pad(s.skipped ?? '–', 9)}${pad(s.serverCpu === undefined ? '–' : `${Math.round(s.serverCpu * 100)} %`, 9)}${pad(fixed(s.decisionMs ? percentile(s.decisionMs, 99) : NaN, 2), 12)}` +
          `${pad(fixed(s.rss, 1), 9)}${pad(fixed(p ? p.heapUsed / 2 ** 20 : NaN, 1), 9)}${pad(fixed(p?.p50 ?? NaN, 2), 10)}${pad(fixed(p?.p99 ?? NaN, 2), 10)}${pad(fixed(p?.max ?? NaN, 2), 10)}`,
      );
    }
    console.log("(t 0: before the steady load; srv CPU: the server's CPU time over the interval, all threads, in % of one core;");
    console.log(" loop: event-loop delay in ms over the probe's latest 10 s; dec p99: decisions as the client saw them)");

    const tot = steady.totals;
    const measured = samples.slice(1);
    const rss = samples.map((s) => s.rss);
    const warmup = SECONDS >= 180 ? 60 : SECONDS / 3;
    const after = measured.filter((s) => s.t > warmup);
    const rssSlope = after.length >= 3 ? slope(after.map((s) => ({ x: s.t / 60, y: s.rss }))) : NaN;
    const lagPoints = after.filter((s) => s.probe).map((s) => ({ x: s.t / 60, y: s.probe.p99 }));
    const lagSlope = lagPoints.length >= 3 ? slope(lagPoints) : NaN;
    // Counted impressions and clicks per minute after the warm-up: the server keeps each one's id
    // for its token's lifetime (24 h, clicks 7 days) so it counts it once, so RSS grows with them.
    const countedPerMin = (after.reduce((a, s) => a + s.imps + s.clicks, 0) / after.reduce((a, s) => a + s.seconds, 0)) * 60;
    const allDecisionMs = measured.flatMap((s) => s.decisionMs).sort((a, b) => a - b);
    const statuses = Object.entries(tot.statuses).map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log('');
    console.log(`requests: ${tot.requests} in ${elapsed.toFixed(1)} s = ${(tot.requests / elapsed).toFixed(0)} req/s (target ${Math.round(rate)}): ${tot.decisions} decisions, ${tot.imps} impressions, ${tot.clicks} clicks`);
    console.log(`errors: ${tot.errors}${statuses ? ` (${statuses})` : ''}; page views skipped (${IN_FLIGHT} requests open): ${tot.skipped}`);
    console.log(`CPU: server ${Math.round(serverCpu * 100)} % of a core (all threads), load generator ${Math.round(loadCpu * 100)} %`);
    console.log(`decision latency (client): p50 ${fixed(percentile(allDecisionMs, 50), 2)} ms, p99 ${fixed(percentile(allDecisionMs, 99), 2)} ms`);
    console.log(`RSS: first ${fixed(rss[0], 1)} MB, last ${fixed(rss.at(-1), 1)} MB, max ${fixed(Math.max(...rss), 1)} MB`);
    console.log(`slopes after the ${Math.round(warmup)} s warm-up (${after.length} samples): RSS ${fixed(rssSlope, 2)} MB/min, event-loop p99 ${fixed(lagSlope, 3)} ms/min`);
    console.log(
      `RSS per 100k impressions and clicks after the warm-up: ${fixed((rssSlope / countedPerMin) * 1e5, 2)} MB (the server keeps their ids for the tokens' lifetime, 24 h and 7 days, to count each once, so RSS grows with them until the first expire)`,
    );
    console.log(`sealed access logs written: ${(sealedBytes / 2 ** 20).toFixed(1)} MB`);
    const verdict = Number.isNaN(rssSlope)
      ? 'none (fewer than 3 samples after the warm-up: run longer)'
      : rssSlope >= SLOPE_LIMIT
        ? `growing (RSS slope ${rssSlope.toFixed(2)} MB/min ≥ ${SLOPE_LIMIT} after the warm-up)`
        : rssSlope > -SLOPE_LIMIT
          ? `flat (RSS slope ${rssSlope.toFixed(2)} MB/min, within ±${SLOPE_LIMIT} after the warm-up)`
          : `falling (RSS slope ${rssSlope.toFixed(2)} MB/min ≤ −${SLOPE_LIMIT} after the warm-up)`;
    console.log(`verdict: ${verdict}`);
  } finally {
    if (steady) await steady.stop();
    if (engine) await engine.close();
    fs.rmSync(path.dirname(probeFile), { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench:soak: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
