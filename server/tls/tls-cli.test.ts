import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listenerUrlsIn } from '../../common/listen-line';
import { parseTlsFingerprint } from '../../common/tls-fingerprint';
import { packageRoot } from '../config';
import { httpsRequest } from '../../node/test/https-request';
import { writeCert } from '../../node/test/make-cert';

const CLI = path.join(packageRoot(), 'bin/creative-engine.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tls-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});
const envFor = (data: string) => ({ ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${data}.data-key` });
const cli = (args: string[], data: string, input = '') => spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', timeout: 60_000, env: envFor(data) });
const SERVE = (data: string) => ['serve', '--data', data, '--delivery-host', '127.0.0.1', '--delivery-port', '0', '--admin-port', '0', '--portal-host', '127.0.0.1', '--portal-port', '0'];

/** Starts serve and resolves once both listening lines are out. */
function serve(args: string[], data: string): Promise<{ child: ChildProcess; output: () => string; urls: { admin: string; delivery: string } }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: envFor(data) });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 30_000);
    const seen = (c: Buffer) => {
      out += c.toString();
      const { admin, delivery } = listenerUrlsIn(out);
      if (admin && delivery) {
        clearTimeout(timer);
        resolve({ child, output: () => out, urls: { admin, delivery } });
      }
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('CLI: init --tls-self-signed', () => {
  it('writes the pair with the store or alone, refuses to overwrite without --force, prints fingerprint and serve flags', () => {
    const data = path.join(tempDir(), 'data');
    const early = cli(['init', '--data', data, '--tls-self-signed', 'localhost'], data);
    expect(early.status).toBe(2);
    expect(early.stderr.trim().split('\n')).toHaveLength(1);

    const init = cli(['init', '--data', data, '--admin-email', 'admin@example.com', '--password-stdin', '--tls-self-signed', 'localhost,127.0.0.1,ads.example.com'], data, 'a good long admin password\n');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/Created the store/);
    const fingerprint = /TLS certificate (SHA256:[0-9a-f]{64})/.exec(init.stdout)?.[1];
    expect(fingerprint).toBeDefined();
    const certFile = path.join(data, 'tls', 'cert.pem');
    const keyFile = path.join(data, 'tls', 'key.pem');
    expect(init.stdout).toContain(`creative-engine serve --data ${data} --tls-cert ${certFile} --tls-key ${keyFile}`);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(data, 'tls')).mode & 0o777).toBe(0o700);

    const again = cli(['init', '--data', data, '--tls-self-signed', 'localhost'], data);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`${certFile} (${fingerprint}) already exists; pass --force`);

    const replaced = cli(['init', '--data', data, '--tls-self-signed', 'localhost', '--force'], data);
    expect(replaced.status, replaced.stderr).toBe(0);
    expect(replaced.stdout).toMatch(/TLS certificate SHA256:[0-9a-f]{64}/);
    expect(replaced.stdout).not.toContain(fingerprint);
    expect(cli(['init', '--data', data, '--tls-self-signed', 'bad host!'], data).status).toBe(2);
  });
});

describe('CLI: serve with native TLS', () => {
  it('starts with --tls-cert/--tls-key, prints the fingerprint and https URLs, and re-reads the pair on SIGHUP', async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const first = writeCert(path.join(dir, 'tls'));
    const { child, output, urls } = await serve([...SERVE(data), '--tls-cert', first.certFile, '--tls-key', first.keyFile], data);
    expect(output()).toContain(`TLS certificate ${first.fingerprint} (CN=localhost; DNS:localhost, IP Address:127.0.0.1`);
    expect(output()).toMatch(/admin listening on https:\/\/127\.0\.0\.1:\d+\n/);
    expect(urls.delivery).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpsRequest(`${urls.admin}/api/server-info`, { ca: first.certPem })).status).toBe(200);

    const second = writeCert(path.join(dir, 'tls'));
    child.kill('SIGHUP');
    await until(() => output().includes(`TLS certificate reloaded: ${second.fingerprint}`), 'the reload line');
    const answer = await httpsRequest(`${urls.delivery}/healthz`, { ca: second.certPem });
    expect(parseTlsFingerprint(answer.peerFingerprint)).toBe(second.fingerprint);

    child.kill('SIGTERM');
    const code = await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(child.exitCode)));
    expect(code).toBe(0);
  });

  it('stops with one line and a non-zero exit on a mismatched pair, a lone flag or an exposed admin API without TLS', () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const a = writeCert(path.join(dir, 'a'));
    const b = writeCert(path.join(dir, 'b'));
    const mismatched = cli([...SERVE(data), '--tls-cert', a.certFile, '--tls-key', b.keyFile], data);
    expect(mismatched.status).not.toBe(0);
    expect(mismatched.stderr.trim()).toBe(`creative-engine serve: the key ${b.keyFile} does not belong to the certificate ${a.certFile}.`);

    const lone = cli([...SERVE(data), '--tls-cert', a.certFile], data);
    expect(lone.status).toBe(2);
    expect(lone.stderr.trim().split('\n')).toHaveLength(1);

    const exposed = cli([...SERVE(data), '--admin-host', '0.0.0.0'], data);
    expect(exposed.status).not.toBe(0);
    expect(exposed.stderr.trim()).toMatch(/^creative-engine serve: refusing to serve the admin API on 0\.0\.0\.0 without TLS: .*--tls-cert FILE --tls-key FILE/);
    expect(exposed.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(data)).toBe(false);
  });
});
