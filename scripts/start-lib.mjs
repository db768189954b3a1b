// Decisions of `npm start` (scripts/start.mjs), as plain functions so that they can be tested:
// whether to build, whether Electron can start, and how to run the console headless instead.
import fs from 'node:fs';
import path from 'node:path';

/** Folders and files whose changes make a new build necessary (test files excepted). */
export const SOURCES = ['server', 'common', 'node', 'electron', 'renderer/src', 'renderer/portal', 'renderer/index.html', 'renderer/vite.config.ts', 'scripts/build.mjs'];

/** What scripts/build.mjs produces, each only when its entry exists. */
export function buildOutputs(root) {
  const outputs = ['dist/server/cli.js'];
  if (fs.existsSync(path.join(root, 'electron/main/main.ts'))) outputs.push('dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/setup-preload.cjs', 'dist/electron/setup/setup.js');
  if (fs.existsSync(path.join(root, 'renderer/index.html'))) outputs.push('dist/renderer/index.html');
  if (fs.existsSync(path.join(root, 'renderer/portal/index.html'))) outputs.push('dist/portal/index.html');
  return outputs;
}

/** Whether to run the build first: an output is missing or a source is newer than the oldest output. */
export function needsBuild(root) {
  let oldest = Infinity;
  for (const output of buildOutputs(root)) {
    const stat = statOrNull(path.join(root, output));
    if (!stat) return { build: true, reason: `${output} is missing` };
    oldest = Math.min(oldest, stat.mtimeMs);
  }
  for (const source of SOURCES) {
    const newest = newestMtime(path.join(root, source));
    if (newest.mtimeMs > oldest) return { build: true, reason: `${path.relative(root, newest.file)} changed since the last build` };
  }
  return { build: false, reason: 'the build is up to date' };
}

/** The newest modification time below `target` (a file or a folder), ignoring tests. */
export function newestMtime(target) {
  const stat = statOrNull(target);
  if (!stat) return { mtimeMs: 0, file: target };
  if (!stat.isDirectory()) return { mtimeMs: stat.mtimeMs, file: target };
  let newest = { mtimeMs: 0, file: target };
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || /\.test\.[cm]?[jt]s$/.test(entry.name)) continue;
    const found = newestMtime(path.join(target, entry.name));
    if (found.mtimeMs > newest.mtimeMs) newest = found;
  }
  return newest;
}

/**
 * Where the Electron binary is, found like require('electron') does but without its side effect:
 * require('electron') tries to download the binary when it is missing, which must not happen here.
 */
export function findElectron(root, env = process.env, platform = process.platform) {
  const pkg = path.join(root, 'node_modules', 'electron');
  if (!fs.existsSync(path.join(pkg, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = path.join(pkg, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  let binary;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
  else if (relative) binary = path.join(pkg, 'dist', relative);
  else return { ok: false, reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  try {
    fs.accessSync(binary, platform === 'win32' ? fs.constants.F_OK : fs.constants.X_OK);
  } catch {
    return { ok: false, reason: `the Electron binary is missing or not executable (${binary})` };
  }
  return { ok: true, path: binary };
}

/** Electron or headless: headless when asked for, when the binary is missing, or when there is no display. */
export function launchDecision({ electron, env = process.env, platform = process.platform }) {
  if (/^(1|true|yes)$/i.test(env.CREATIVE_ENGINE_HEADLESS ?? '')) return { mode: 'headless', reason: 'CREATIVE_ENGINE_HEADLESS is set' };
  if (!electron.ok) return { mode: 'headless', reason: electron.reason };
  if (platform !== 'win32' && platform !== 'darwin' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { mode: 'headless', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  return { mode: 'electron', path: electron.path };
}

/** A port from the environment: undefined when unset, an error naming the variable when not a port. */
export function portFromEnv(env, name) {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new Error(`${name} must be a port number from 0 to 65535, not "${raw}".`);
  return Number(raw);
}

/** The headless command line: `serve` on $CREATIVE_ENGINE_DATA or ./data, ports from the environment. */
export function headlessCommand({ root, env = process.env, cwd = process.cwd() }) {
  const dataDir = path.resolve(cwd, env.CREATIVE_ENGINE_DATA || 'data');
  const args = [path.join(root, 'bin', 'creative-engine.js'), 'serve', '--data', dataDir];
  const admin = portFromEnv(env, 'CREATIVE_ENGINE_ADMIN_PORT');
  const delivery = portFromEnv(env, 'CREATIVE_ENGINE_DELIVERY_PORT');
  const portal = portFromEnv(env, 'CREATIVE_ENGINE_PORTAL_PORT');
  if (admin !== undefined) args.push('--admin-port', String(admin));
  if (delivery !== undefined) args.push('--delivery-port', String(delivery));
  if (portal !== undefined) args.push('--portal-port', String(portal));
  // Personal data are encrypted with a data key kept outside the data directory: in the OS
  // keychain when a Secret Service answers, else (a headless Linux box) in a key file beside it.
  const noKeychain = process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS;
  if (noKeychain && !env.CREATIVE_ENGINE_DATA_KEY_FILE) args.push('--data-key-file', `${dataDir}.data-key`);
  return { args, dataDir };
}

/** The environment Electron gets: never ELECTRON_RUN_AS_NODE (it would run as plain Node), plus node for the server. */
export function electronEnv(env, nodePath) {
  const out = { ...env, CREATIVE_ENGINE_SERVER_NODE: nodePath };
  delete out.ELECTRON_RUN_AS_NODE;
  return out;
}

/**
 * A listener's URL (with a trailing slash) from the server's log line `… NAME listening on URL` (or, for
 * a wildcard address, `… NAME listening on 0.0.0.0:PORT (all interfaces; URL from this computer)`), or
 * null. The format is common/listen-line.ts's; this plain script runs before any build, so it cannot
 * import the TypeScript.
 */
function listenerUrlFrom(name, line) {
  const match = new RegExp(`\\b${name} listening on (?:(https?:\\/\\/\\S+?)\\/?(?:\\s|$)|\\S+ \\(all interfaces; (https?:\\/\\/\\S+?)\\/? from this computer\\))`).exec(line);
  return match ? `${match[1] ?? match[2]}/` : null;
}

/** The console URL from the admin listener's log line, or null. */
export function consoleUrlFrom(line) {
  return listenerUrlFrom('admin', line);
}

/** The customer portal's URL from the portal listener's log line, or null (also when it is off). */
export function portalUrlFrom(line) {
  return listenerUrlFrom('portal', line);
}

/** What to tell the user once the console is up: its URL, and how to create the first admin on an empty store. */
export function readyMessage(consoleUrl, setup, dataDir) {
  const lines = [`Open the console: ${consoleUrl}`];
  if (setup?.needsSetup === true) {
    lines.push(
      'No accounts yet: the console\'s first-run page creates the first admin (from this computer only), ' +
        `or run: creative-engine init --data ${JSON.stringify(dataDir)} --admin-email you@example.com --password-stdin`,
    );
  }
  return lines.join('\n');
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}
