// Builds everything `npm start`, `npm test` and packaging need into dist/:
// dist/server/cli.js (bundled server + CLI), dist/electron/*.cjs, dist/renderer/ (the console),
// dist/portal/ (the customer portal, served by the portal listener).
import { build } from 'esbuild';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const r = (p) => path.join(root, p);
const only = process.argv.slice(2);
const want = (part) => only.length === 0 || only.includes(part);
// Native modules stay outside the bundles; electron-builder rebuilds them for Electron. pdfkit too:
// it loads its font metrics through its package's own import map (#standard-fonts), which only
// resolves inside its package (it is a production dependency, so it ships).
const external = ['better-sqlite3', 'keytar', 'electron', 'pdfkit'];

const started = Date.now();
if (want('server')) {
  rmSync(r('dist/server'), { recursive: true, force: true });
  await build({
    // The seal worker thread runs its own bundle, next to cli.js (server/sealing/worker-script.ts).
    entryPoints: { cli: r('server/cli/entry.ts'), 'seal-worker': r('server/sealing/seal-worker.ts'), 'delivery-worker': r('server/cluster/worker-entry.ts') },
    outdir: r('dist/server'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    external,
    logLevel: 'warning',
    // CommonJS dependencies inside an ESM bundle need require().
    banner: { js: "import { createRequire as __ceRequire } from 'node:module'; const require = __ceRequire(import.meta.url);" },
  });
}
if (want('electron') && existsSync(r('electron/main/main.ts'))) {
  rmSync(r('dist/electron'), { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, external, logLevel: 'warning', outExtension: { '.js': '.cjs' } };
  await build({ ...common, entryPoints: { main: r('electron/main/main.ts') }, outdir: r('dist/electron') });
  await build({ ...common, entryPoints: { preload: r('electron/preload/preload.ts') }, outdir: r('dist/electron') });
  await build({ ...common, entryPoints: { 'setup-preload': r('electron/preload/setup-preload.ts') }, outdir: r('dist/electron') });
  // The first-start setup page, served from ce-setup:// (electron/main/setup-protocol.ts).
  await build({ entryPoints: { setup: r('electron/setup/setup.ts') }, outdir: r('dist/electron/setup'), bundle: true, platform: 'browser', target: 'chrome130', format: 'iife', logLevel: 'warning' });
  for (const file of ['index.html', 'setup.css']) copyFileSync(r(`electron/setup/${file}`), r(`dist/electron/setup/${file}`));
}
if (want('renderer') && existsSync(r('renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: r('renderer/vite.config.ts'), logLevel: 'warn' });
  // The customer portal: a second entry of the renderer sharing its components, api client and styles.
  if (existsSync(r('renderer/portal/index.html'))) await viteBuild({ configFile: r('renderer/portal/vite.config.ts'), logLevel: 'warn' });
}
console.log(`built ${only.length ? only.join(', ') : 'everything'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
