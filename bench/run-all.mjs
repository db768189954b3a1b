// npm run bench: every delivery figure in one run, one part after the other (each starts and stops
// its own servers on 127.0.0.1, bounded in time):
//   1. bench/delivery.mjs   — bare node:http vs /v1/decision, /v1/imp, /v1/click, /v1/view on one core, the ratios
//   2. bench/workers.mjs    — throughput with 1 and 2 delivery workers (BENCH_WORKERS, BENCH_LOAD_CORES)
//   3. bench/catalogue.mjs  — 10,000 campaigns, 2,000 zones, 50 candidates per zone
//   4. bench/stats-query.mjs — statistics queries over a year of hourly rollups of 500 campaigns
// BENCH_PARTS=delivery,workers runs some of them. The soak test is apart: npm run bench:soak.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const PARTS = [
  { name: 'delivery', script: 'delivery.mjs', title: 'Delivery on one core: bare node:http vs the routes' },
  { name: 'workers', script: 'workers.mjs', title: 'Delivery workers: throughput with 1 and 2 worker processes' },
  { name: 'catalogue', script: 'catalogue.mjs', title: 'A large catalogue: 10,000 campaigns, 2,000 zones, 50 candidates per zone' },
  { name: 'stats', script: 'stats-query.mjs', title: 'Statistics queries: a year of hourly rollups of 500 campaigns', env: { BENCH_CAMPAIGNS: process.env.BENCH_CAMPAIGNS ?? '500' } },
];
const wanted = process.env.BENCH_PARTS ? new Set(process.env.BENCH_PARTS.split(',')) : null;

function run(part) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, part.script)], { stdio: 'inherit', env: { ...process.env, ...part.env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

let failed = 0;
for (const part of PARTS) {
  if (wanted && !wanted.has(part.name)) continue;
  console.log(`\n=== ${part.title} (bench/${part.script})\n`);
  const started = Date.now();
  const code = await run(part);
  if (code !== 0) failed++;
  console.log(`\n(${part.name}: ${code === 0 ? 'done' : `failed with exit code ${code}`} in ${Math.round((Date.now() - started) / 1000)} s)`);
}
process.exit(failed > 0 ? 1 : 0);
