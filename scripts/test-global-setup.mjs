// Vitest global setup: builds dist/ once, before any test file starts, when it is missing or older
// than its sources. Test files never build themselves: a build in one file (which first removes
// dist/server) would pull the bundle from under another file running it at the same time.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { needsBuild } from './start-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default function setup() {
  const { build, reason } = needsBuild(root);
  if (!build) return;
  console.log(`building dist/ before the tests: ${reason}`);
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the build failed; no test can run against dist/');
}
