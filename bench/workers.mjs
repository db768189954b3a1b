// Delivery throughput with 1, 2, … delivery worker processes (`serve --workers N`): the demo data,
// sealing and statistics on, GET /v1/decision and GET /v1/imp/TOKEN driven from the load cores.
// Part of `npm run bench`; alone: `node bench/workers.mjs` after a build.
//
// Environment: BENCH_WORKERS (the worker counts, default "1,2"), BENCH_LOAD_CORES (cores for the
// load generator, default 1; the server gets the others, or shares all when none are left),
// BENCH_WORKERS_SECONDS (per target and count, default 6), BENCH_CONNECTIONS (50).
import os from 'node:os';
import { cpuSeconds, processTree, rssMb, startDemoEngine } from './demo-engine.mjs';
import { load, pinSelf } from './load.mjs';

const list = (from, to) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i).join(',');

/** Which cores the server and the load get: the load takes the last BENCH_LOAD_CORES. */
export function coreSplit(loadCores = Number(process.env.BENCH_LOAD_CORES ?? 1), cores = os.availableParallelism()) {
  const n = Math.max(1, Math.min(loadCores, cores));
  if (cores - n < 1) return { server: list(0, cores), load: list(0, cores), shared: true };
  return { server: list(0, cores - n), load: list(cores - n, cores), shared: false };
}

async function tokens(url, zoneId, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/v1/decision?zone=${zoneId}`);
    if (res.status !== 200) throw new Error(`collecting tokens: the decision answered ${res.status}`);
    out.push(new URL((await res.json()).impressionUrl).pathname);
  }
  return out;
}

/**
 * Runs the decision and impression load against `serve --workers N` for each N; returns one row per
 * N: req/s, p50/p99 ms, CPU µs per request (primary and workers together) and RSS per process.
 */
export async function runWorkersBench({
  workers = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number),
  seconds = Number(process.env.BENCH_WORKERS_SECONDS ?? 6),
  connections = Number(process.env.BENCH_CONNECTIONS ?? 50),
  split = coreSplit(),
} = {}) {
  pinSelf(split.load);
  const rows = [];
  for (const n of workers) {
    const engine = await startDemoEngine({ core: split.server, workers: n });
    try {
      const imps = await tokens(engine.url, engine.zoneId, 1000);
      const targets = [
        { name: '/v1/decision', paths: [`/v1/decision?zone=${engine.zoneId}`] },
        { name: '/v1/imp/TOKEN', paths: imps },
      ];
      for (const t of targets) {
        await load({ origin: engine.url, paths: t.paths, seconds: 2, connections, core: split.load });
        const pids = processTree(engine.child.pid);
        const before = pids.reduce((s, p) => s + cpuSeconds(p), 0);
        const r = await load({ origin: engine.url, paths: t.paths, seconds, connections, core: split.load });
        const cpu = pids.reduce((s, p) => s + cpuSeconds(p), 0) - before;
        rows.push({ workers: n, target: t.name, ...r, cpuUs: (cpu / r.total) * 1e6, rss: pids.map((p) => rssMb(p)) });
      }
    } finally {
      await engine.close();
    }
  }
  return { rows, split };
}

/** Prints the rows of runWorkersBench, with the speed-up over the first worker count. */
export function printWorkersBench({ rows, split }) {
  const pad = (s, n) => String(s).padStart(n);
  console.log(`server on core(s) ${split.server}, load on core(s) ${split.load}${split.shared ? ' (shared: the machine has too few cores to separate them)' : ''}`);
  console.log(`${'workers'.padEnd(9)}${'target'.padEnd(16)}${pad('req/s', 9)}${pad('×', 7)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('CPU µs/req', 12)}  RSS MB (primary, workers…)`);
  for (const r of rows) {
    const first = rows.find((x) => x.target === r.target);
    console.log(
      `${String(r.workers).padEnd(9)}${r.target.padEnd(16)}${pad(Math.round(r.rps), 9)}${pad((r.rps / first.rps).toFixed(2), 7)}${pad(r.p50.toFixed(2), 9)}${pad(r.p99.toFixed(2), 9)}${pad(r.errors, 8)}${pad(r.cpuUs.toFixed(1), 12)}  ${r.rss.map((m) => m.toFixed(0)).join(', ')}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWorkersBench()
    .then(printWorkersBench)
    .catch((err) => {
      console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
