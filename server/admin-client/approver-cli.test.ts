import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, UnsealedRecord } from '../../common/schemas/cases';
import { createApproverKeychain } from '../../node/approver-keychain';
import { KEYRING, waitForCase } from '../cases/test/case-world';
import { KEYRING as KEYRING_PART, missing } from '../../node/test/requirements';
import { until } from '../../node/test/until';
import { BIN as bin, startServeChild, type ServeChild } from '../test/serve-child';
import { createStaff, PASSWORD, setupAdmin, type StaffClient } from '../cases/test/staff-fixture';
import { httpsFront, selfSignedCert, type TlsFront } from './test/tls-fixture';
import { nextTotpCodeFor } from '../test/totp-fixture';

// End to end against the real built server: `node bin/creative-engine.js serve`, then the CLI
// commands `approver enroll`, `approver approve` and `audit verify` as separate processes.

let dataDir: string;
let server: ServeChild | null = null;
let adminUrl = '';
let deliveryUrl = '';
let admin: StaffClient;
let staff: Record<string, StaffClient>;
let front: TlsFront;
let installationId = '';
const account = (who: string) => ({ installationId, email: `${who}@example.com` });

// `setsid` runs the CLI without a controlling terminal, as a script or a CI job would. Async, so
// that the HTTPS front in this process can answer while the CLI runs.
function cliRun(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('setsid', ['-w', process.execPath, bin, ...args], { env: process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

async function startServer(): Promise<void> {
  // Without the keychain session the server keeps its data key in a file outside the data directory.
  const env = KEYRING ? process.env : { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${dataDir}.data-key` };
  server = await startServeChild(['--data', dataDir, '--delivery-port', '0', '--delivery-host', '127.0.0.1', '--admin-port', '0', '--portal-host', '127.0.0.1', '--portal-port', '0', '--trust-proxy', '127.0.0.1'], env);
  ({ adminUrl, deliveryUrl } = server);
}

async function stopServer(): Promise<void> {
  await server?.stop();
  server = null;
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cli-'));
  await startServer();
  admin = await setupAdmin(adminUrl);
  staff = await createStaff(adminUrl, admin, { boss: ['management'], dpo: ['dpo'], rev: ['reviewer'] });
  installationId = ((await (await fetch(`${adminUrl}/api/server-info`)).json()) as { installationId: string }).installationId;
  front = await httpsFront(adminUrl);
}, 120_000);

afterAll(async () => {
  await front?.close();
  await stopServer();
  if (KEYRING) {
    const keychain = createApproverKeychain();
    for (const who of ['boss', 'dpo']) await keychain.remove(account(who)).catch(() => false);
  }
  if (dataDir) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.data-key`, { force: true });
  }
});

describe('CLI usage errors', () => {
  it('answers bad arguments with one line and exit 2', async () => {
    for (const args of [['approver', 'enroll'], ['approver', 'approve', '--server', 'http://x', '--email', 'a@b.c', '--password-stdin'], ['audit', 'verify'], ['approver', 'enroll', '--nope']]) {
      const r = await cliRun(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await cliRun(['audit', 'verify', '--data', path.join(dataDir, 'missing')])).code).toBe(2);
  });
});

describe.skipIf(missing(KEYRING_PART))('approver enroll / approve (real OS keychain; skipped outside scripts/test.sh: no D-Bus keyring)', () => {
  const base = (who: string) => ['--server', front.url, '--tls-fingerprint', front.cert.fingerprint, '--email', `${who}@example.com`, '--password-stdin'];
  // Approvers sign in with two factors: standard input is the password, then the current TOTP code.
  const withCode = async (who: string) => `${PASSWORD}\n${await nextTotpCodeFor(`${who}@example.com`)}\n`;
  let caseId: string;

  // Each sign-in uses up a TOTP step: up to three fit one 30-second step, then the helper waits for the next.
  it('enrols approvers from the keychain, with one-line errors', { timeout: 120_000 }, async () => {
    const wrong = await cliRun(['approver', 'enroll', ...base('boss')], 'not the password');
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.stderr).toContain('wrong e-mail or password');
    const noRole = await cliRun(['approver', 'enroll', ...base('rev')], PASSWORD);
    expect(noRole.code).toBe(1);
    expect(noRole.stderr).toContain('no approver role');
    expect(await createApproverKeychain().publicKey(account('rev'))).toBeNull(); // the refused identity was taken back
    for (const who of ['boss', 'dpo']) {
      const r = await cliRun(['approver', 'enroll', ...base(who)], await withCode(who));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/enrolled.*age1[0-9a-z]{58}/);
      expect(r.stdout + r.stderr).not.toMatch(/AGE-SECRET-KEY/i);
    }
    const wrongPin = await cliRun(['approver', 'enroll', '--server', front.url, '--tls-fingerprint', selfSignedCert().fingerprint, '--email', 'boss@example.com', '--password-stdin'], PASSWORD);
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr.trim()).toMatch(/^creative-engine approver enroll: the server's certificate SHA256:[0-9a-f]{64} does not match the pinned SHA256:[0-9a-f]{64}$/);
    const untrusted = await cliRun(['approver', 'enroll', '--server', front.url, '--email', 'boss@example.com', '--password-stdin'], PASSWORD);
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain('not trusted');
    const viaCa = await cliRun(['approver', 'enroll', '--server', front.url, '--ca', front.cert.certFile, '--email', 'boss@example.com', '--password-stdin'], await withCode('boss'));
    expect(viaCa.code, viaCa.stderr).toBe(0);
    expect(viaCa.stdout).toContain('existing keychain identity');
    const plain = await cliRun(['approver', 'enroll', '--server', 'http://ads.example.com:8081', '--email', 'boss@example.com', '--password-stdin'], PASSWORD);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('refusing plain http');
    const unreachable = await cliRun(['approver', 'enroll', '--server', 'http://127.0.0.1:9', '--email', 'boss@example.com', '--password-stdin'], PASSWORD);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the server');
  });

  it('approves a case as both approvers and the server unseals it', { timeout: 120_000 }, async () => {
    expect((await admin.call('POST', '/api/keys/ceremony', {})).status).toBe(201);
    const sealed = async () => (await admin.call<{ recordsSealed: number }>('GET', '/api/keys/status')).body.recordsSealed;
    const before = await sealed();
    for (const ip of ['203.0.113.50', '203.0.113.51']) {
      await (await fetch(`${deliveryUrl}/healthz`, { headers: { 'x-forwarded-for': ip } })).arrayBuffer();
    }
    await until(async () => (await sealed()) >= before + 2, 'both access records on disk (the sealer flushes within a second)');
    const to = new Date().toISOString();
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const open = await staff.rev!.call<CaseView>('POST', '/api/cases', { reason: 'CLI end-to-end check of the approval flow', from, to });
    expect(open.status).toBe(201);
    caseId = open.body.id;

    const withoutCode = await cliRun(['approver', 'approve', ...base('boss'), '--case', 'cas_00000000000000000000', '--yes'], PASSWORD);
    expect(withoutCode.code).toBe(1);
    expect(withoutCode.stderr).toContain('two-factor');
    expect((await cliRun(['approver', 'approve', ...base('boss'), '--case', 'cas_00000000000000000000', '--yes'], await withCode('boss'))).stderr).toContain('was not found');
    const notEnrolled = await cliRun(['approver', 'approve', ...base('rev'), '--case', caseId, '--yes'], PASSWORD);
    expect(notEnrolled.code).toBe(1);
    expect(notEnrolled.stderr).toMatch(/not enrolled/i);

    const noTty = await cliRun(['approver', 'approve', ...base('boss'), '--case', caseId], PASSWORD); // refused before anything is sent
    expect(noTty.code).toBe(2);
    expect(noTty.stderr.trim().split('\n')).toHaveLength(1);
    expect(noTty.stderr).toContain('--yes');
    const first = await cliRun(['approver', 'approve', ...base('boss'), '--case', caseId, '--yes'], await withCode('boss'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('status awaiting_approval');
    expect(first.stdout).toContain('Reason: CLI end-to-end check of the approval flow');
    expect(first.stdout).toMatch(/Opened by: .*<rev@example.com>/);
    const second = await cliRun(['approver', 'approve', ...base('dpo'), '--case', caseId, '--yes'], await withCode('dpo'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/status (unsealing|ready)/);
    expect(await waitForCase<CaseView>(staff.rev!, caseId)).toMatchObject({ status: 'ready' });
    const records = await staff.rev!.call<{ items: UnsealedRecord[] }>('GET', `/api/cases/${caseId}/records`);
    expect(records.body.items.map((r) => r.ip).sort()).toEqual(['203.0.113.50', '203.0.113.51']);
    const again = await cliRun(['approver', 'approve', ...base('dpo'), '--case', caseId, '--yes'], await withCode('dpo'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ready');
  });
});

describe('audit verify', () => {
  it('exits 0 on an intact chain and names the first bad entry after tampering', async () => {
    const ok = await cliRun(['audit', 'verify', '--data', dataDir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/intact: \d+ entries/);
    await stopServer();
    const db = new Database(path.join(dataDir, 'store.sqlite'));
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET action = 'session.logout' WHERE seq = 2").run();
    db.close();
    const bad = await cliRun(['audit', 'verify', '--data', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('entry 2 was altered');
  });
});
