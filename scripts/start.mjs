#!/usr/bin/env node
// npm start: builds when needed, then opens the desktop app. Where Electron cannot start (no binary,
// no display), it says so in one line and serves the console headless, for any browser on this computer.
// Environment: CREATIVE_ENGINE_DATA (headless data directory, default ./data), CREATIVE_ENGINE_ADMIN_PORT,
// CREATIVE_ENGINE_DELIVERY_PORT, CREATIVE_ENGINE_PORTAL_PORT (0 picks a free port), CREATIVE_ENGINE_HEADLESS=1 (skip Electron),
// CREATIVE_ENGINE_NO_BUILD=1 (never build).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { consoleUrlFrom, electronEnv, findElectron, headlessCommand, launchDecision, needsBuild, portalUrlFrom, readyMessage } from './start-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Own process group on POSIX, so that Ctrl+C reaches the child once (forwarded by us), not twice.
const detached = process.platform !== 'win32';

// CREATIVE_ENGINE_NO_BUILD=1 skips the check (a read-only or CI checkout that was built already).
const build = /^(1|true|yes)$/i.test(process.env.CREATIVE_ENGINE_NO_BUILD ?? '') ? { build: false } : needsBuild(root);
if (build.build) {
  console.log(`npm start: building first (${build.reason})`);
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm start: the build failed; see above.');
    process.exit(result.status ?? 1);
  }
}

const decision = launchDecision({ electron: findElectron(root) });
if (decision.mode === 'electron') startElectron(decision.path);
else {
  console.log(`npm start: Electron cannot start here: ${decision.reason}. Serving the console headless instead.`);
  startHeadless();
}

function startElectron(binary) {
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit', env: electronEnv(process.env, process.execPath), detached });
  let started = true;
  const forget = forwardSignals(child);
  child.once('error', (err) => {
    started = false;
    forget();
    console.log(`npm start: Electron cannot start here: ${err.message}. Serving the console headless instead.`);
    startHeadless();
  });
  child.once('exit', (code, signal) => {
    forget();
    if (started) process.exit(exitCode(code, signal));
  });
}

function startHeadless() {
  let command;
  try {
    command = headlessCommand({ root });
  } catch (err) {
    console.error(`npm start: ${err.message}`);
    process.exit(2);
  }
  const child = spawn(process.execPath, command.args, { stdio: ['ignore', 'pipe', 'inherit'], detached });
  const forget = forwardSignals(child);
  let announced = false;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    const portal = portalUrlFrom(line);
    if (portal) console.log(`Customer portal: ${portal}`);
    const url = consoleUrlFrom(line);
    if (!url || announced) return;
    announced = true;
    void setupStatus(url).then((setup) => console.log(readyMessage(url, setup, command.dataDir)));
  });
  child.once('error', (err) => {
    console.error(`npm start: the server could not be started: ${err.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    forget();
    if (!announced && code) {
      console.error('npm start: the server stopped before it was ready (see above). A port in use? Set CREATIVE_ENGINE_ADMIN_PORT, CREATIVE_ENGINE_DELIVERY_PORT or CREATIVE_ENGINE_PORTAL_PORT (0 picks a free one).');
    }
    process.exit(exitCode(code, signal));
  });
}

/** GET /api/setup: whether the store has no account yet; null when unknown. */
async function setupStatus(consoleUrl) {
  try {
    const res = await fetch(new URL('api/setup', consoleUrl), { signal: AbortSignal.timeout(3000) });
    return res.ok ? await res.json() : null;
  } catch {
    return null;
  }
}

function forwardSignals(child) {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.exitCode === null && child.kill(signal);
  for (const s of signals) process.on(s, forward);
  return () => signals.forEach((s) => process.off(s, forward));
}

function exitCode(code, signal) {
  if (code !== null) return code;
  return signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1;
}
