import { spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';
import type { MainLogger } from './logger';
import { listenerUrlFrom } from '../../common/listen-line';

/** How the server process ended; `error` when it could not be started at all. */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A launched server process, whatever started it (Electron's utilityProcess or child_process). */
export interface LaunchedServer {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** Settles once, when the process has exited or could not be started. */
  readonly exited: Promise<ServerExit>;
  /** SIGTERM asks the server to flush and stop; SIGKILL ends it. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
}

/** Starts `modulePath` (the bundled CLI) with `args` as a Node process. */
export type ServerLauncher = (modulePath: string, args: string[], env: NodeJS.ProcessEnv) => LaunchedServer;

/** Launches with a Node binary through child_process: tests and `npm start` (node_modules/ holds Node builds of the natives). */
export function nodeServerLauncher(execPath: string): ServerLauncher {
  return (modulePath, args, env) => {
    const child = spawn(execPath, [modulePath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const exited = new Promise<ServerExit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    return { pid: child.pid, stdout: child.stdout, stderr: child.stderr, exited, kill: (signal) => void child.kill(signal) };
  };
}

export interface ServerProcessOptions {
  /** Starts the server process; the packaged app passes a utilityProcess launcher (electron/main/utility-launcher.ts). */
  launch?: ServerLauncher;
  /** Node binary for the default launcher (nodeServerLauncher) when `launch` is not given. */
  execPath?: string;
  /** The bundled CLI, dist/server/cli.js. */
  cliPath: string;
  /** The store and sealed logs; the desktop app passes `<userData>/data`. */
  dataDir: string;
  /** Wanted delivery port (default 8080); when it is taken, a free one is used and the log says so. */
  deliveryPort?: number;
  /** Default 127.0.0.1; `0.0.0.0` only when the user chose to serve ads to the network. */
  deliveryHost?: string;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  log: MainLogger;
}

/** A running embedded server. */
export interface ServerProcess {
  /** The admin listener (console + API), always on 127.0.0.1, without a trailing slash. */
  adminUrl: string;
  adminOrigin: string;
  deliveryUrl: string;
  /** True when the wanted delivery port was taken and another one was used. */
  deliveryPortFallback: boolean;
  pid: number;
  /** Settles when the process has exited, for whatever reason. */
  exited: Promise<ServerExit>;
  /** SIGTERM (the server flushes statistics and sealed logs), SIGKILL if it has not exited in time. */
  stop(): Promise<void>;
}

// What Node prints around an uncaught error besides the message: stack frames, carets, its version.
const STDERR_NOISE = /^\s*$|^\s+at |^Node\.js v\d|^\s*[\^~]+\s*$|^\s*[{}]\s*$|^\s+\w+: /;

/** Starts `cli.js serve` as a child process and resolves once both listeners are up. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const wanted = options.deliveryPort ?? 8080;
  const host = options.deliveryHost ?? '127.0.0.1';
  if (wanted !== 0 && !(await isPortFree(wanted, host))) {
    options.log.warn(`delivery port ${wanted} is in use; using a free port instead (publishers' tags must use the printed URL)`);
    return { ...(await spawnServer(options, 0, host)), deliveryPortFallback: true };
  }
  try {
    return await spawnServer(options, wanted, host);
  } catch (err) {
    // Taken between the check and the bind: one more try on a free port.
    if (!(err instanceof ServerStartError) || !err.addressInUse || wanted === 0) throw err;
    options.log.warn(`delivery port ${wanted} was taken meanwhile; using a free port instead`);
    return { ...(await spawnServer(options, 0, host)), deliveryPortFallback: true };
  }
}

/** Why the server did not start, with the last thing it said. */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
  constructor(
    message: string,
    readonly addressInUse = false,
  ) {
    super(message);
  }
}

/** Whether a TCP port can be bound on `host` right now. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function spawnServer(options: ServerProcessOptions, deliveryPort: number, deliveryHost: string): Promise<ServerProcess> {
  const { log } = options;
  // The embedded server is one desk's: customers reach a headless server's portal, never a desktop;
  // its delivery runs in the one process (a desk needs no delivery workers on every core).
  const args = ['serve', '--data', options.dataDir, '--admin-host', '127.0.0.1', '--admin-port', '0', '--no-portal', '--workers', '1'];
  args.push('--delivery-host', deliveryHost, '--delivery-port', String(deliveryPort));
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  const launch = options.launch ?? nodeServerLauncher(options.execPath ?? process.execPath);
  const child = launch(options.cliPath, args, env);
  const { exited } = child;
  let ended = false;
  void exited.then(() => (ended = true));
  let lastError = '';
  let adminUrl: string | undefined;
  let deliveryUrl: string | undefined;
  let onReady: (() => void) | undefined;

  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    log.info(`server: ${line}`);
    const listener = listenerUrlFrom(line);
    if (listener?.name === 'admin') adminUrl ??= listener.url;
    if (listener?.name === 'delivery') deliveryUrl ??= listener.url;
    if (adminUrl && deliveryUrl) onReady?.();
  });
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    log.warn(`server: ${line}`);
    if (!STDERR_NOISE.test(line)) lastError = line.trim();
  });

  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ServerStartError(`The embedded server was not ready within ${timeoutMs / 1000} s.`)), timeoutMs);
      onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      void exited.then(({ code, signal, error }) => {
        clearTimeout(timer);
        if (error) return reject(new ServerStartError(`The embedded server could not be started: ${error.message}`));
        const said = lastError ? `: ${lastError}` : '.';
        reject(new ServerStartError(`The embedded server stopped before it was ready (${signal ?? `exit code ${code}`})${said}`, /EADDRINUSE/.test(lastError)));
      });
    });
  } catch (err) {
    await terminate(child, () => ended, exited, options.stopTimeoutMs ?? 10_000, log);
    throw err;
  }

  const admin = new URL(adminUrl!);
  log.info('embedded server ready', { pid: child.pid, admin: admin.origin, delivery: deliveryUrl });
  let stopping: Promise<void> | undefined;
  return {
    adminUrl: adminUrl!,
    adminOrigin: admin.origin,
    deliveryUrl: deliveryUrl!,
    deliveryPortFallback: false,
    pid: child.pid!,
    exited,
    stop: () => (stopping ??= terminate(child, () => ended, exited, options.stopTimeoutMs ?? 10_000, log)),
  };
}

async function terminate(child: LaunchedServer, ended: () => boolean, exited: Promise<unknown>, timeoutMs: number, log: MainLogger): Promise<void> {
  if (ended() || child.pid === undefined) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const outcome = await Promise.race([exited.then(() => 'exited' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    log.warn(`embedded server did not stop within ${timeoutMs / 1000} s; killing it`);
    child.kill('SIGKILL');
    await exited;
  }
}
