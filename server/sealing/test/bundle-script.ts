import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test-only: bundles TypeScript source (resolved from server/sealing) into a runnable .mjs file for a child process. */
export async function bundleScript(source: string): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts', sourcefile: 'child.ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'warning',
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ce-child-')), 'child.mjs');
  fs.writeFileSync(file, result.outputFiles[0]!.contents);
  return file;
}
