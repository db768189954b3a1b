import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
/** The built console the test servers serve. */
export const CONSOLE_DIR = path.join(root, 'dist', 'renderer');
/** The built customer portal the test servers' portal listener serves. */
export const PORTAL_DIR = path.join(root, 'dist', 'portal');

/**
 * Checks that the console is built. Vitest's global setup (scripts/test-global-setup.mjs) builds dist/
 * once before any test starts; a test never builds, so none pulls files from under another.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  for (const dir of [CONSOLE_DIR, PORTAL_DIR]) {
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      throw new Error(`${dir}/index.html is missing: run the tests with \`npm test\` or \`npx vitest\` (its global setup builds), or \`node scripts/build.mjs renderer\`.`);
    }
  }
}
