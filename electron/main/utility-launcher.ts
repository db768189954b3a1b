// Runs the embedded server in Electron's utilityProcess (a Node.js child the browser process
// owns), so the packaged binary needs no ELECTRON_RUN_AS_NODE — that fuse is off (build/electron-builder.yml).
import { utilityProcess } from 'electron';
import { PassThrough } from 'node:stream';
import type { LaunchedServer, ServerExit, ServerLauncher } from './server-process';

/** A ServerLauncher on utilityProcess.fork; only the main process can call it. */
export const utilityServerLauncher: ServerLauncher = (modulePath, args, env) => {
  const child = utilityProcess.fork(modulePath, args, { env, stdio: 'pipe', serviceName: 'Creative Engine server' });
  const stdout = child.stdout ?? new PassThrough();
  const stderr = child.stderr ?? new PassThrough();
  const exited = new Promise<ServerExit>((resolve) => {
    child.once('exit', (code) => resolve({ code, signal: null }));
    child.once('error', (type, location) => resolve({ code: null, signal: null, error: new Error(`${type} at ${location}`) }));
  });
  const launched: LaunchedServer = {
    get pid() {
      return child.pid;
    },
    stdout,
    stderr,
    exited,
    kill(signal) {
      // utilityProcess.kill() sends SIGTERM on POSIX (the server flushes and stops) and ends it on Windows.
      if (signal === 'SIGKILL' && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
  };
  return launched;
};
