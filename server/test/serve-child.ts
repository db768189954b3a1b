/**
 * The real built server as a child process (`node bin/creative-engine.js serve …`), ready once every
 * wanted listener has printed its "listening on" line (read through common/listen-line.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenerUrlsIn } from '../../common/listen-line';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/creative-engine.js');

export interface ServeChild {
  child: ChildProcess;
  adminUrl: string;
  deliveryUrl: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the exit (flushes statistics and sealed logs). */
  stop(): Promise<void>;
}

/** Starts `serve ARGS` and waits (up to 30 s) for the delivery and admin listeners. */
export async function startServeChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeChild> {
  // Test files run in parallel: a listener on its default port would collide with another test's.
  const fixed = ['--delivery-port', '--admin-port', '--portal-port'].filter((flag) => !args.includes(flag) && !(flag === '--portal-port' && args.includes('--no-portal')));
  if (fixed.length) throw new Error(`tests bind free ports only: pass ${fixed.map((f) => `${f} 0`).join(', ')}`);
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  const urls = await new Promise<{ admin: string; delivery: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const { admin, delivery } = listenerUrlsIn(out);
      if (admin && delivery) {
        clearTimeout(timer);
        child.removeListener('exit', onExit);
        resolve({ admin, delivery });
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${out}`));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', onExit);
  });
  return {
    child,
    adminUrl: urls.admin,
    deliveryUrl: urls.delivery,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
