/**
 * "Computers" for the many-desks test: each desk is a home directory with its own gnome-keyring, and
 * every command on it runs in a D-Bus session of its own (`dbus-run-session`) whose keyring daemon
 * unlocks that desk's keyring file, so two desks share nothing but the network, as two approvers'
 * computers would. Also a small JSON client for the admin API over HTTPS with the server's
 * certificate as the only trusted CA.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Requirement } from '../../../node/test/requirements';
import { httpsRequest } from '../../../node/test/https-request';

/** dbus-run-session and gnome-keyring-daemon, to give each desk a keychain of its own. */
export const DESKS: Requirement = {
  name: 'separate keychains per desk (dbus-run-session and gnome-keyring-daemon)',
  available: ['dbus-run-session', 'gnome-keyring-daemon'].every((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0),
  hint: 'apt-get install dbus gnome-keyring',
};

export interface DeskRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One approver's computer: a home of its own whose keyring survives between commands. */
export class Desk {
  readonly home: string;

  constructor(
    root: string,
    readonly name: string,
  ) {
    this.home = path.join(root, name);
    fs.mkdirSync(path.join(this.home, 'share'), { recursive: true, mode: 0o700 });
  }

  /** Runs `node bin/creative-engine.js ARGS` on this desk, with `stdin` as its standard input. */
  run(bin: string, args: string[], stdin: string): Promise<DeskRun> {
    // The keyring daemon reads its unlock password from the printf; the CLI then reads `stdin`.
    const script = 'eval "$(printf %s "$DESK_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"; exec "$NODE" "$@"';
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      HOME: this.home,
      XDG_DATA_HOME: path.join(this.home, 'share'),
      XDG_CONFIG_HOME: path.join(this.home, 'config'),
      XDG_CACHE_HOME: path.join(this.home, 'cache'),
      XDG_RUNTIME_DIR: this.runtimeDir(),
      DESK_KEYRING_PASSWORD: `keyring of ${this.name}`,
      NODE: process.execPath,
    };
    return new Promise((resolve, reject) => {
      const child = spawn('dbus-run-session', ['--', 'bash', '-c', script, this.name, bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        // The session bus's own complaints (fd limits in containers) are not the command's output.
        resolve({ code: code ?? -1, stdout, stderr: stderr.replace(/^dbus-daemon\[\d+\].*\n?/gm, '') });
      });
      child.stdin.end(stdin);
    });
  }

  private runtimeDir(): string {
    const dir = path.join(this.home, 'run');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }
}

export interface JsonAnswer<T> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** One HTTPS request trusting only `ca`; JSON in and out. */
export async function httpsJson<T = unknown>(url: string, ca: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const res = await httpsRequest(url, {
    ca,
    method,
    body: payload,
    headers: { 'x-requested-with': 'creative-engine', ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
  let parsed: unknown = res.body;
  try {
    parsed = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A signed-in staff member over HTTPS (the session cookie kept). */
export interface HttpsStaff {
  email: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<JsonAnswer<T>>;
}

/** Signs in over HTTPS; `totp` is sent when given. Throws with the server's answer on failure. */
export async function httpsSignIn(adminUrl: string, ca: string, email: string, password: string, totp?: string): Promise<HttpsStaff> {
  const res = await httpsJson<{ id: string }>(`${adminUrl}/api/session`, ca, 'POST', { email, password, ...(totp ? { totp } : {}) });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const sid = setCookie.map((c) => /(?:^|\s)([\w-]*sid)=([^;]+)/.exec(c)).find(Boolean);
  if (!sid) throw new Error(`sign-in of ${email} set no session cookie`);
  const cookie = `${sid[1]}=${sid[2]}`;
  return { email, call: (method, p, body) => httpsJson(`${adminUrl}${p}`, ca, method, body, { cookie }) };
}
