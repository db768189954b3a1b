#!/usr/bin/env node
// Delivery benchmark with and without sealing: `node bench/seal-delivery.mjs [--rounds 2]`.
// Builds two private copies of the server CLI into a temp directory: the real one, and one whose
// sealing feature keeps the key ring but registers no access-record hook and starts no worker
// (an esbuild plugin swaps the module; production code has no switch to turn sealing off). Then
// runs bench/delivery.mjs against each, alternating, and compares requests/s and CPU µs/request.
// Environment as for bench/delivery.mjs (BENCH_SECONDS, BENCH_CONNECTIONS, …).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2' } } });
const ROUNDS = Number(values.rounds);

const NO_SEALING_FEATURE = `
import { KeyRing } from './key-ring';
import { provideSealing } from './sealing-service';
export const sealingFeature = (ctx) => {
  const keyRing = new KeyRing(ctx.db, () => ctx.now());
  keyRing.ensureCurrent();
  const stats = () => ({ recordsSealed: 0, framesWritten: 0, bytesWritten: 0, droppedRecords: 0, failedRecords: 0, pendingRecords: 0, pendingBytes: 0, segment: null, recovered: [] });
  const sealer = { push() {}, useKey() {}, flush() {}, async drain() {}, async close() {}, stats };
  keyRing.onActivate(() => {});
  provideSealing(ctx, { keyRing, sealer, sealedDir: ctx.config.sealedDir });
};
`;

async function buildCli(outdir, withSealing) {
  const plugins = withSealing ? [] : [{
    name: 'no-sealing',
    setup(b) {
      b.onResolve({ filter: /sealing-feature$/ }, (args) => ({ path: path.join(path.dirname(args.importer), 'sealing', 'no-sealing-feature.ts'), namespace: 'no-sealing' }));
      b.onLoad({ filter: /.*/, namespace: 'no-sealing' }, () => ({ contents: NO_SEALING_FEATURE, loader: 'ts', resolveDir: path.join(root, 'server', 'sealing') }));
    },
  }];
  await build({
    entryPoints: { cli: path.join(root, 'server/cli/entry.ts'), 'seal-worker': path.join(root, 'server/sealing/seal-worker.ts') },
    outdir, bundle: true, platform: 'node', target: 'node20', format: 'esm', external: ['better-sqlite3', 'keytar', 'electron'], logLevel: 'warning', plugins,
    banner: { js: "import { createRequire as __ceRequire } from 'node:module'; const require = __ceRequire(import.meta.url);" },
  });
  return path.join(outdir, 'cli.js');
}

function runDelivery(cli) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bench', 'delivery.mjs')], { cwd: root, env: { ...process.env, BENCH_CLI: cli }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`delivery bench failed (${code}):\n${out}`))));
  });
}

/** Parses the table of bench/delivery.mjs: target → {rps, cpuUs}. */
function parse(out) {
  const rows = {};
  for (const line of out.split('\n')) {
    const m = /^(\S.*?)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)$/.exec(line);
    if (m) rows[m[1]] = { rps: Number(m[2]), cpuUs: Number(m[6]), errors: Number(m[5]) };
  }
  return rows;
}

// Inside the repository (node_modules resolves from there; packageRoot() finds the console files).
const dir = fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'ce-seal-delivery-'));
try {
  const cliWith = await buildCli(path.join(dir, 'with', 'dist', 'server'), true);
  const cliWithout = await buildCli(path.join(dir, 'without', 'dist', 'server'), false);
  const runs = { with: [], without: [] };
  for (let i = 0; i < ROUNDS; i++) {
    for (const variant of i % 2 === 0 ? ['without', 'with'] : ['with', 'without']) {
      console.log(`round ${i + 1}/${ROUNDS}: ${variant} sealing …`);
      runs[variant].push(parse(await runDelivery(variant === 'with' ? cliWith : cliWithout)));
    }
  }
  const targets = Object.keys(runs.with[0]);
  const avg = (variant, target, key) => runs[variant].reduce((n, r) => n + (r[target]?.[key] ?? NaN), 0) / runs[variant].length;
  const bare = targets[0];
  console.log('');
  console.log(`${'target'.padEnd(20)}${'req/s without'.padStart(15)}${'req/s with'.padStart(12)}${'ratio÷bare without'.padStart(20)}${'ratio÷bare with'.padStart(17)}${'CPU µs w/o'.padStart(12)}${'CPU µs with'.padStart(13)}${'CPU +%'.padStart(8)}`);
  for (const t of targets) {
    const rw = avg('without', t, 'rps');
    const rs = avg('with', t, 'rps');
    const cw = avg('without', t, 'cpuUs');
    const cs = avg('with', t, 'cpuUs');
    const ratioW = rw / avg('without', bare, 'rps');
    const ratioS = rs / avg('with', bare, 'rps');
    console.log(`${t.padEnd(20)}${rw.toFixed(0).padStart(15)}${rs.toFixed(0).padStart(12)}${ratioW.toFixed(3).padStart(20)}${ratioS.toFixed(3).padStart(17)}${cw.toFixed(1).padStart(12)}${cs.toFixed(1).padStart(13)}${(((cs - cw) / cw) * 100).toFixed(1).padStart(8)}`);
  }
  const decision = targets.find((t) => t.includes('decision'));
  if (decision) {
    const drop = 1 - (avg('with', decision, 'rps') / avg('with', bare, 'rps')) / (avg('without', decision, 'rps') / avg('without', bare, 'rps'));
    const cpuDrop = 1 - avg('without', decision, 'cpuUs') / avg('with', decision, 'cpuUs');
    console.log(`\n/v1/decision ratio drop with sealing: ${(drop * 100).toFixed(1)} % by req/s, ${(cpuDrop * 100).toFixed(1)} % by CPU per request (limit 10 %)`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
