import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, UnsealedRecord } from '../../common/schemas/cases';
import { missing } from '../../node/test/requirements';
import { until } from '../../node/test/until';
import { BIN as bin, startServeChild, type ServeChild } from '../test/serve-child';
import { nextTotpCodeFor, rememberTotp, waitForFreshTotpCode } from '../test/totp-fixture';
import { Desk, DESKS, httpsJson, httpsSignIn, type HttpsStaff } from './test/desk';

// Many desks, one server: a server with a generated certificate, and two approvers on two
// "computers" (separate homes, each with a keychain of its own in a D-Bus session of its own) that
// sign in with their second factor, enrol, take part in the key ceremony and approve a case over
// HTTPS with the pinned fingerprint. The records open only after both. Then the server restarts on
// other ports and both approve a second case with the identities they already have.
const PASSWORD = 'correct horse battery staple';

let base: string;
let dataDir: string;
let ca: string;
let fingerprint = '';
let server: ServeChild | null = null;
let adminUrl = '';
let deliveryUrl = '';

function cli(args: string[], stdin = ''): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { input: stdin, encoding: 'utf8', timeout: 60_000, env: serverEnv() });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The server keeps its data key in a file outside the data directory: this test's keychains are the desks'. */
function serverEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${dataDir}.data-key` };
}

async function startServer(): Promise<void> {
  const tls = path.join(dataDir, 'tls');
  server = await startServeChild(
    ['--data', dataDir, '--tls-cert', path.join(tls, 'cert.pem'), '--tls-key', path.join(tls, 'key.pem'), '--delivery-host', '127.0.0.1', '--delivery-port', '0', '--admin-port', '0', '--portal-host', '127.0.0.1', '--portal-port', '0', '--trust-proxy', '127.0.0.1'],
    serverEnv(),
  );
  ({ adminUrl, deliveryUrl } = server);
}

async function stopServer(): Promise<void> {
  await server?.stop();
  server = null;
}

/** An approver: an account with a second factor (codes from the TOTP fixture) and a computer of their own. */
class Approver {
  constructor(
    readonly email: string,
    readonly desk: Desk,
  ) {}

  /** A code the server has not accepted yet (it takes each 30-second step once). */
  async code(): Promise<string> {
    const code = await nextTotpCodeFor(this.email);
    if (!code) throw new Error(`${this.email} has no second factor yet`);
    return code;
  }

  /** Runs `approver …` on this approver's desk against the server, pinned to its fingerprint. */
  async cli(command: 'enroll' | 'approve', extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const args = ['approver', command, '--server', adminUrl, '--tls-fingerprint', fingerprint, '--email', this.email, '--password-stdin', ...extra];
    return this.desk.run(bin, args, `${PASSWORD}\n${await this.code()}\n`);
  }
}

async function traffic(ips: string[]): Promise<void> {
  for (const ip of ips) {
    const res = await httpsJson(`${deliveryUrl}/healthz`, ca, 'GET', undefined, { 'x-forwarded-for': ip });
    expect(res.status).toBe(200);
  }
}

async function sealedCount(admin: HttpsStaff): Promise<number> {
  return (await admin.call<{ recordsSealed: number }>('GET', '/api/keys/status')).body.recordsSealed;
}

async function openCase(rev: HttpsStaff, reason: string): Promise<string> {
  const open = await rev.call<CaseView>('POST', '/api/cases', { reason, from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() });
  expect(open.status, JSON.stringify(open.body)).toBe(201);
  return open.body.id;
}

async function recordsOf(rev: HttpsStaff, caseId: string): Promise<{ status: number; ips: string[] }> {
  const res = await rev.call<{ items: UnsealedRecord[] }>('GET', `/api/cases/${caseId}/records`);
  return { status: res.status, ips: res.status === 200 ? res.body.items.map((r) => r.ip).sort() : [] };
}

describe.skipIf(missing(DESKS))('two approvers on two computers approve over HTTPS with a pinned certificate', () => {
  let boss: Approver;
  let dpo: Approver;
  let admin: HttpsStaff;
  let rev: HttpsStaff;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-desks-'));
    dataDir = path.join(base, 'data');
    boss = new Approver('boss@example.com', new Desk(base, 'desk-management'));
    dpo = new Approver('dpo@example.com', new Desk(base, 'desk-dpo'));
  });

  afterAll(async () => {
    await stopServer();
    if (base) fs.rmSync(base, { recursive: true, force: true });
    if (dataDir) fs.rmSync(`${dataDir}.data-key`, { force: true });
  });

  it('init creates the store, the admin and a self-signed certificate; serve prints the same fingerprint', async () => {
    const init = cli(['init', '--data', dataDir, '--admin-email', 'admin@example.com', '--password-stdin', '--tls-self-signed', '127.0.0.1,localhost'], PASSWORD);
    expect(init.code, init.stderr).toBe(0);
    fingerprint = /SHA256:[0-9a-f]{64}/.exec(init.stdout)?.[0] ?? '';
    expect(fingerprint).not.toBe('');
    expect(fs.statSync(path.join(dataDir, 'tls', 'key.pem')).mode & 0o777).toBe(0o600);
    ca = fs.readFileSync(path.join(dataDir, 'tls', 'cert.pem'), 'utf8');
    await startServer();
    expect(server!.output()).toContain(fingerprint);
    expect(adminUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(deliveryUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  }, 60_000);

  it('the approvers get accounts and turn on their second factor', async () => {
    admin = await httpsSignIn(adminUrl, ca, 'admin@example.com', PASSWORD);
    for (const [email, roles] of [
      ['boss@example.com', ['management']],
      ['dpo@example.com', ['dpo']],
      ['rev@example.com', ['reviewer']],
    ] as const) {
      const res = await admin.call('POST', '/api/users', { email, name: email.split('@')[0], password: PASSWORD, roles });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    rev = await httpsSignIn(adminUrl, ca, 'rev@example.com', PASSWORD);
    for (const who of [boss, dpo]) {
      // Until they have a second factor, management and the DPO may sign in only to enrol one.
      const session = await httpsSignIn(adminUrl, ca, who.email, PASSWORD);
      expect((await session.call('GET', '/api/cases')).status).toBe(403);
      const start = await session.call<{ secret: string; otpauthUri: string }>('POST', '/api/me/totp');
      expect(start.status).toBe(201);
      expect(start.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      const { code, step } = await waitForFreshTotpCode(start.body.secret, null);
      const confirm = await session.call<{ recoveryCodes: string[] }>('POST', '/api/me/totp/confirm', { code });
      expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
      expect(confirm.body.recoveryCodes).toHaveLength(10);
      rememberTotp(who.email, start.body.secret, step);
      // From now on the password alone is not enough.
      const noCode = await httpsJson<{ error: { code: string } }>(`${adminUrl}/api/session`, ca, 'POST', { email: who.email, password: PASSWORD });
      expect(noCode.status).toBe(401);
      expect(noCode.body.error.code).toBe('totp_required');
    }
  }, 120_000);

  it('each enrols from their own computer; a wrong fingerprint is refused before anything is sent', async () => {
    const wrongPin = await boss.desk.run(
      bin,
      ['approver', 'enroll', '--server', adminUrl, '--tls-fingerprint', `SHA256:${'0'.repeat(64)}`, '--email', boss.email, '--password-stdin'],
      `${PASSWORD}\n000000\n`,
    );
    expect(wrongPin.code).not.toBe(0);
    expect(wrongPin.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrongPin.stderr).toMatch(/fingerprint|certificate/i);

    for (const who of [boss, dpo]) {
      const r = await who.cli('enroll');
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/age1[0-9a-z]{58}/);
      expect(r.stdout + r.stderr).not.toMatch(/AGE-SECRET-KEY/i);
    }
    // The keychains are apart: the DPO's computer holds no identity of management's.
    const elsewhere = await boss.desk.run(
      bin,
      ['approver', 'approve', '--server', adminUrl, '--tls-fingerprint', fingerprint, '--email', dpo.email, '--password-stdin', '--case', 'cas_00000000000000000000', '--yes'],
      `${PASSWORD}\n${await dpo.code()}\n`,
    );
    expect(elsewhere.code).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/not enrolled/i);

    const ceremony = await admin.call('POST', '/api/keys/ceremony', { threshold: 2 });
    expect(ceremony.status, JSON.stringify(ceremony.body)).toBe(201);
  }, 180_000);

  async function approveBoth(caseId: string, ips: string[]): Promise<void> {
    const first = await boss.cli('approve', ['--case', caseId, '--yes']);
    expect(first.code, first.stderr).toBe(0);
    // What the approver saw before deciding: the case as the server reports it.
    expect(first.stdout).toContain('rev@example.com');
    expect(first.stdout).toContain('status awaiting_approval');
    expect((await recordsOf(rev, caseId)).status).not.toBe(200); // one approval opens nothing

    const second = await dpo.cli('approve', ['--case', caseId, '--yes']);
    expect(second.code, second.stderr).toBe(0);
    await until(async () => (await rev.call<CaseView>('GET', `/api/cases/${caseId}`)).body.status === 'ready', 'the case unsealed after both approvals');
    expect((await recordsOf(rev, caseId)).ips).toEqual(ips);
  }

  it('a case opens only after both have approved, each from their own computer', async () => {
    const before = await sealedCount(admin);
    await traffic(['203.0.113.50', '203.0.113.51']);
    await until(async () => (await sealedCount(admin)) >= before + 2, 'both access records sealed on disk');
    const caseId = await openCase(rev, 'Two desks: first case over HTTPS');
    await approveBoth(caseId, ['203.0.113.50', '203.0.113.51']);
  }, 180_000);

  it('after a restart on other ports both approve a second case with the identities they have', async () => {
    const oldAdmin = adminUrl;
    await stopServer();
    await startServer();
    expect(adminUrl).not.toBe(oldAdmin);
    expect(server!.output()).toContain(fingerprint);
    admin = await httpsSignIn(adminUrl, ca, 'admin@example.com', PASSWORD);
    rev = await httpsSignIn(adminUrl, ca, 'rev@example.com', PASSWORD);
    const before = await sealedCount(admin);
    await traffic(['198.51.100.7']);
    await until(async () => (await sealedCount(admin)) >= before + 1, 'the new access record sealed on disk');
    const caseId = await openCase(rev, 'Two desks: second case after a restart');
    // The window covers the first case's traffic too: all three records open.
    await approveBoth(caseId, ['198.51.100.7', '203.0.113.50', '203.0.113.51']);
  }, 180_000);
});
