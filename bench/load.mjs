// Load generation for the delivery benchmark: wrk (C, pinned to its own core) when installed,
// otherwise autocannon as a library. Both report requests/s and p50/p99 latency in ms.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const hasCommand = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** Whether the machine has every core of `cores` (a number or a list such as "0,2-3"). */
const hasCores = (cores) =>
  String(cores)
    .split(',')
    .flatMap((part) => part.split('-').map(Number))
    .every((c) => Number.isInteger(c) && c < os.availableParallelism());

/** Prefixes a command with `taskset -c CORES` when taskset exists and the machine has those cores (a number or a list such as "0,1"). */
export function pinned(core, argv) {
  return hasCommand('taskset') && hasCores(core) ? ['taskset', '-c', String(core), ...argv] : argv;
}

/** Moves this process (all its threads) to `core`, when taskset exists and the machine has that core. */
export function pinSelf(core) {
  if (hasCommand('taskset') && hasCores(core)) spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}

function run(argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${argv.join(' ')} exited with ${code}:\n${out}`))));
  });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000 };
const ms = (text) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
};

/** Parses wrk's --latency report. */
export function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const errors = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0) + Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0);
  const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors, total };
}

const LUA = `
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
`;

/**
 * Drives `origin` for `seconds` with `connections`, cycling through `paths`; the load generator
 * runs on `core`. Returns {rps, p50, p99, errors, total, tool}.
 */
export async function load({ origin, paths, seconds, connections, core }) {
  if (hasCommand('wrk')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-wrk-'));
    try {
      const script = path.join(dir, 'paths.lua');
      const list = path.join(dir, 'paths.txt');
      fs.writeFileSync(script, LUA);
      fs.writeFileSync(list, paths.join('\n') + '\n');
      const argv = pinned(core, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '5s', '-s', script, origin]);
      return { ...parseWrk(await run(argv, { BENCH_PATHS: list })), tool: 'wrk' };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  // Fallback: autocannon in this process (slower than wrk: it may limit the bare server's figure).
  const { default: autocannon } = await import('autocannon');
  let i = 0;
  const result = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  // As wrk counts them: an answer other than 2xx or 3xx is an error (a click's 302 is its success).
  const wrong = result['1xx'] + result['4xx'] + result['5xx'];
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: wrong + result.errors + result.timeouts, total: result.requests.total, tool: 'autocannon' };
}
