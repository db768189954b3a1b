import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { signInAs } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { HEADER_BYTES } from './backup-format';

// Outside the keychain session the test app keeps its data key in `<dataDir>.data-key`; the CLI needs the same.
const keyArgs = (dataDir: string) => (process.env.CE_KEYRING_READY ? [] : ['--data-key-file', `${dataDir}.data-key`]);
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-backup-test-'));
const sourceDir = path.join(root, 'source');

/** Runs a CLI command in-process; returns its exit code and what it printed. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    stderr.mockRestore();
  }
}

let source: TestApp;
let customerId: string;
let requestId: string;
const backupFile = path.join(root, 'out', 'full.cebackup');

beforeAll(async () => {
  source = await startTestApp({ dataDir: sourceDir });
  const admin = await signInAs(source, 'admin');
  const customer = await admin.post('/api/customers', { name: 'Backup GmbH', email: 'restore.me@backup.example', phone: '+49 30 1234567', kind: 'advertiser' });
  customerId = customer.body.id;
  const res = await fetch(`${source.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bea Backup', email: 'bea@example.net', message: 'Backed-up message' }) });
  requestId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await source.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('backup and restore (CLI)', () => {
  it('writes one encrypted file while the server runs, audited, with nothing readable in it', async () => {
    const r = await cli('backup', '--data', sourceDir, '--out', backupFile, ...keyArgs(sourceDir));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^backup written to .*full\.cebackup \(\d+ bytes, \d+ files(; it holds sealed access logs: delete it by \d{4}-\d{2}-01T00:00:00\.000Z)?\)$/);
    const bytes = fs.readFileSync(backupFile);
    expect(bytes.subarray(0, 8).toString()).toBe('CEBACKUP');
    for (const plain of ['Backup GmbH', 'restore.me', 'bea@example.net', 'SQLite format', 'token-hmac', 'audit_log']) expect(bytes.includes(Buffer.from(plain))).toBe(false);
    expect(fs.statSync(backupFile).mode & 0o077).toBe(0);
    expect(source.ctx.audit.list({ limit: 1, actionPrefix: 'backup.create' })[0]).toMatchObject({ actor: 'cli', target: 'full.cebackup' });
    expect(fs.readdirSync(path.dirname(backupFile))).toEqual(['full.cebackup']);
  });

  it('refuses bad arguments with one line', async () => {
    expect((await cli('backup', '--data', sourceDir)).err).toMatch(/^creative-engine backup: --out is required\.$/);
    expect((await cli('backup', '--data', sourceDir, '--out', path.join(sourceDir, 'x.cebackup'))).err).toMatch(/outside the data directory/);
    expect((await cli('backup', '--data', path.join(root, 'nothing'), '--out', path.join(root, 'y'))).code).toBe(2);
    expect((await cli('backup', '--data', sourceDir, '--out', backupFile, ...keyArgs(sourceDir))).err).toMatch(/already exists/);
    expect((await cli('restore', '--data', path.join(root, 'r0'))).err).toMatch(/--from is required/);
  });

  it('restores into a new directory whose data read back through the API', async () => {
    const target = path.join(root, 'restored');
    const keyFile = keyArgs(sourceDir);
    const r = await cli('restore', '--data', target, '--from', backupFile, ...keyFile);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^restored .*restored from the backup of .* \(\d+ files\)$/);
    expect(fs.readdirSync(root).filter((f) => f.includes('.restore-'))).toEqual([]);

    const restored = await startTestApp({ dataDir: target, privacy: keyFile.length ? { dataKeyFile: keyFile[1] } : undefined });
    try {
      const admin = await signInAs(restored, ['admin', 'dpo']);
      expect((await admin.get(`/api/customers/${customerId}`)).body).toMatchObject({ name: 'Backup GmbH', email: 'restore.me@backup.example', phone: '+49 30 1234567' });
      expect((await admin.get(`/api/requests/${requestId}`)).body).toMatchObject({ name: 'Bea Backup', message: 'Backed-up message' });
      expect(restored.ctx.audit.verify().ok).toBe(true);
      expect(restored.ctx.audit.list({ limit: 5, actionPrefix: 'backup.restore' })).toHaveLength(1);
    } finally {
      await restored.stop();
    }
    // A non-empty target needs --force, which then replaces it.
    expect((await cli('restore', '--data', target, '--from', backupFile, ...keyFile)).err).toMatch(/is not empty; .*--force/);
    fs.writeFileSync(path.join(target, 'stray.txt'), 'x');
    expect((await cli('restore', '--data', target, '--from', backupFile, '--force', ...keyFile)).code).toBe(0);
    expect(fs.existsSync(path.join(target, 'stray.txt'))).toBe(false);
    expect(fs.readdirSync(root).filter((f) => f.includes('.replaced-') || f.includes('.restore-'))).toEqual([]);
  });

  it('refuses damaged, truncated, tampered and foreign files with a one-line message and writes nothing', async () => {
    const original = fs.readFileSync(backupFile);
    const variant = (name: string, bytes: Buffer) => {
      const file = path.join(root, 'out', name);
      fs.writeFileSync(file, bytes);
      return file;
    };
    const flipped = Buffer.from(original);
    flipped[Math.floor(original.length / 2)]! ^= 0x40;
    const header = Buffer.from(original);
    header[15]! ^= 1; // creation time, authenticated with every chunk
    const cases: Array<[string, RegExp]> = [
      [variant('flipped', flipped), /is damaged \(chunk \d+ failed authentication\)/],
      [variant('truncated', original.subarray(0, original.length - 100)), /is truncated/],
      [variant('cut-at-chunk', original.subarray(0, HEADER_BYTES + 4 + 64 * 1024 + 16)), /is truncated/],
      [variant('appended', Buffer.concat([original, Buffer.from('extra')])), /data after its last chunk/],
      [variant('header', header), /cannot be decrypted with this installation's data key/],
      [variant('foreign', Buffer.from('PK\u0003\u0004 this is a zip file, not ours'.repeat(10))), /is not a Creative Engine backup/],
      [variant('empty', Buffer.alloc(0)), /is not a Creative Engine backup/],
    ];
    for (const [file, message] of cases) {
      const target = path.join(root, `bad-${path.basename(file)}`);
      const r = await cli('restore', '--data', target, '--from', file, ...keyArgs(sourceDir));
      expect(r.code, path.basename(file)).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(fs.existsSync(target)).toBe(false);
    }
    expect(fs.readdirSync(root).filter((f) => f.includes('.restore-'))).toEqual([]);
  });

  it('refuses a backup under another data key', async () => {
    const otherKey = path.join(root, 'other.key');
    fs.writeFileSync(otherKey, 'cd'.repeat(32) + '\n', { mode: 0o600 });
    const r = await cli('restore', '--data', path.join(root, 'other'), '--from', backupFile, '--data-key-file', otherKey);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot be decrypted with this installation's data key/);
    expect(fs.existsSync(path.join(root, 'other'))).toBe(false);
  });
});
