import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(import.meta.dirname, '../../..');
/** The built console the test servers serve. */
export const CONSOLE_DIR = path.join(root, 'dist', 'renderer');
const LOCK = path.join(root, 'dist', '.renderer-build.lock');
const SOURCES = ['renderer/src', 'renderer/index.html', 'renderer/vite.config.ts', 'common'];

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

function isStale(): boolean {
  const built = fs.statSync(path.join(CONSOLE_DIR, 'index.html'), { throwIfNoEntry: false });
  if (!built) return true;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built.mtimeMs);
}

/**
 * Builds the console (`node scripts/build.mjs renderer`) when dist/renderer is missing or older
 * than its sources. Test files run in parallel processes: a lock directory lets one build while
 * the others wait.
 */
export async function ensureConsoleBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) fs.rmSync(LOCK, { recursive: true, force: true }); // a crashed builder's lock
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!isStale()) return;
    const result = spawnSync(process.execPath, ['scripts/build.mjs', 'renderer'], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`console build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
