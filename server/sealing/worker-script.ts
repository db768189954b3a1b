import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** File name of the seal worker's bundle, built next to the server bundle (scripts/build.mjs). */
export const SEAL_WORKER_BUNDLE = 'seal-worker.js';

/**
 * The script the seal worker thread runs. In the built server it is the bundle next to this one.
 * Running from sources (Vitest, benchmarks) there is no bundle and Node cannot run TypeScript in a
 * worker, so the worker is bundled once with esbuild (a dev dependency) into the temp directory.
 */
export async function sealWorkerScript(): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  const built = path.join(path.dirname(here), SEAL_WORKER_BUNDLE);
  if (fs.existsSync(built)) return built;
  const source = path.join(path.dirname(here), 'seal-worker.ts');
  if (!here.endsWith('.ts') || !fs.existsSync(source)) {
    throw new Error(`The seal worker (${SEAL_WORKER_BUNDLE}) is missing next to the server bundle; run npm run build.`);
  }
  // Cache by the sources' content (the worker imports only this folder) so each test process does not bundle again.
  const dir = path.dirname(here);
  const hash = createHash('sha256');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  const file = path.join(os.tmpdir(), `ce-seal-worker-${hash.digest('hex').slice(0, 16)}.mjs`);
  if (fs.existsSync(file)) return file;
  const esbuildName = 'esbuild';
  const esbuild = (await import(/* @vite-ignore */ esbuildName)) as typeof import('esbuild');
  const result = await esbuild.build({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'warning' });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0]!.contents);
  fs.renameSync(tmp, file);
  return file;
}
