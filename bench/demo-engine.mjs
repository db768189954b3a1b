// Starts the built server for the delivery benchmarks (npm run bench, npm run bench:soak): `demo`
// into a temporary data directory, then `serve` on it with sealing on (as always in serve) and
// every listener on an ephemeral port of 127.0.0.1, pinned to one core. Also the /proc readings
// both benchmarks take of the server process.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinned } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CLI runs another build of the CLI (e.g. a private copy while others rebuild dist/).
const cli = path.resolve(process.env.BENCH_CLI ?? path.join(root, 'bin', 'creative-engine.js'));

/** Starts a process and resolves once a line of its output matches `pattern` (group 1: the URL). */
export function start(argv, pattern, env = {}) {
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

/** SIGTERM (SIGKILL after 10 s); resolves once the process has exited. */
export function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system, all threads) a process has used so far. */
export const cpuSeconds = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
};

/** The process ids of a process and its children (a server with delivery workers). */
export const processTree = (pid) => {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  return [pid, ...children];
};

/** CPU seconds of a process and its children. */
export const treeCpuSeconds = (pid) => processTree(pid).reduce((sum, p) => sum + cpuSeconds(p), 0);

/** The process's resident set (VmRSS) in MB. */
export const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

/**
 * Loads the demo data into a temporary data directory, lets `prepare(dataDir, zoneId)` change the
 * store before the server opens it, and starts `serve` pinned to `core` (a core or a list such as
 * "0,1"; `nodeArgs` before the CLI, `env` added to the environment) with `workers` delivery processes. Resolves with the server's {child, url}, the demo's first
 * zone, what `prepare` returned and close(), which stops the server and removes the directory.
 */
export async function startDemoEngine({ core, nodeArgs = [], env = {}, prepare = () => undefined, workers = 1 }) {
  if (!process.env.BENCH_CLI && !fs.existsSync(path.join(root, 'dist', 'server', 'cli.js'))) throw new Error('Build the server first: node scripts/build.mjs server (the npm run bench scripts do it).');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-'));
  const keyFile = `${dataDir}.data-key`;
  const remove = () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(keyFile, { force: true });
  };
  try {
    const demo = spawnSync(process.execPath, [cli, 'demo', '--data', dataDir], { cwd: root, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr || demo.stdout}`);
    const zoneId = /^zone (zon_[a-z2-7]{16})/m.exec(demo.stdout)?.[1];
    if (!zoneId) throw new Error(`no zone in the demo output:\n${demo.stdout}`);
    const prepared = prepare(dataDir, zoneId);
    const serveArgs = ['serve', '--data', dataDir, '--data-key-file', keyFile, '--delivery-host', '127.0.0.1', '--delivery-port', '0', '--admin-port', '0', '--portal-port', '0', '--workers', String(workers)];
    const engine = await start(pinned(core, [process.execPath, ...nodeArgs, cli, ...serveArgs]), /delivery listening on (\S+)/, env);
    const close = async () => {
      await stop(engine.child);
      remove();
    };
    return { ...engine, dataDir, zoneId, prepared, close };
  } catch (err) {
    remove();
    throw err;
  }
}
