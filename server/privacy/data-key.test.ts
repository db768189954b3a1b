import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log/logger';
import { DATA_KEY_REF_FILE, DataKeyError, KEYCHAIN_SERVICE, keychainAccount, openDataKey, storeIdOf } from './data-key';
import { KEYRING, missing } from '../../node/test/requirements';


const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-key-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, f?: Record<string, unknown>) => void lines.push(`${level} ${m} ${f ? JSON.stringify(f) : ''}`);
  return { lines, info: push('INFO'), warn: push('WARN'), error: push('ERROR') };
}

/** Every byte of every file under `dir`, for searching. */
function allBytes(dir: string): Buffer {
  const parts: Buffer[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(fs.readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return Buffer.concat(parts);
}

const expectKeyAbsent = (dir: string, key: Buffer) => {
  const bytes = allBytes(dir);
  expect(bytes.includes(key)).toBe(false);
  expect(bytes.includes(Buffer.from(key.toString('hex')))).toBe(false);
  expect(bytes.includes(Buffer.from(key.toString('base64')))).toBe(false);
};

describe('data key in a key file', () => {
  it('creates the file 0600 outside the data directory, warns, and reuses it', async () => {
    const data = tempDir();
    const keyFile = path.join(tempDir(), 'secrets', 'data.key');
    const log = captureLog();
    const first = await openDataKey({ dataDir: data, keyFile, log });
    expect(first.source).toBe('file');
    expect(first.key).toHaveLength(32);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(first.key.toString('hex'));
    expect(log.lines.some((l) => l.startsWith('WARN') && l.includes('key file'))).toBe(true);
    expect(storeIdOf(data)).toBe(first.storeId);
    expectKeyAbsent(data, first.key);
    const again = await openDataKey({ dataDir: data, keyFile, log });
    expect(again.key.equals(first.key)).toBe(true);
    expect(again.storeId).toBe(first.storeId);
  });

  it('refuses a key file inside the data directory, also through a symlink', async () => {
    const data = tempDir();
    await expect(openDataKey({ dataDir: data, keyFile: path.join(data, 'k', 'data.key'), log: captureLog() })).rejects.toThrow(/must not be inside the data directory/);
    const link = path.join(tempDir(), 'link');
    fs.symlinkSync(data, link);
    await expect(openDataKey({ dataDir: data, keyFile: path.join(link, 'data.key'), log: captureLog() })).rejects.toThrow(DataKeyError);
    expect(fs.existsSync(path.join(data, 'k'))).toBe(false);
  });

  it('refuses a different key, a missing key file and a malformed one for an existing store', async () => {
    const data = tempDir();
    const keys = tempDir();
    await openDataKey({ dataDir: data, keyFile: path.join(keys, 'a.key'), log: captureLog() });
    fs.writeFileSync(path.join(keys, 'b.key'), 'ab'.repeat(32) + '\n', { mode: 0o600 });
    await expect(openDataKey({ dataDir: data, keyFile: path.join(keys, 'b.key'), log: captureLog() })).rejects.toThrow(/not the one this data directory was encrypted with/);
    await expect(openDataKey({ dataDir: data, keyFile: path.join(keys, 'missing.key'), log: captureLog() })).rejects.toThrow(/does not exist, but this data directory already has a data key/);
    fs.writeFileSync(path.join(keys, 'bad.key'), 'not a key', { mode: 0o600 });
    await expect(openDataKey({ dataDir: data, keyFile: path.join(keys, 'bad.key'), log: captureLog() })).rejects.toThrow(/64 hexadecimal/);
    expect(fs.existsSync(path.join(keys, 'missing.key'))).toBe(false);
  });

  it('refuses to start without keychain and key file, with a message saying what to do', async () => {
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    delete process.env.DBUS_SESSION_BUS_ADDRESS;
    try {
      const data = tempDir();
      const err = await openDataKey({ dataDir: data, log: captureLog() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataKeyError);
      expect((err as Error).message).toMatch(/No OS keychain .* --data-key-file PATH/);
      expect(fs.existsSync(path.join(data, DATA_KEY_REF_FILE))).toBe(false);
    } finally {
      if (saved !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});

describe.skipIf(missing(KEYRING))('data key in the OS keychain (real gnome-keyring; skipped outside scripts/test.sh: no D-Bus keyring)', () => {
  it('creates the key in the keychain under the store id, never in the data directory, and finds it again', async () => {
    const keytar = (await import('keytar')).default;
    const data = tempDir();
    const first = await openDataKey({ dataDir: data, log: captureLog() });
    expect(first.source).toBe('keychain');
    const stored = await keytar.getPassword(KEYCHAIN_SERVICE, keychainAccount(first.storeId));
    expect(stored && Buffer.from(stored, 'base64').equals(first.key)).toBe(true);
    expectKeyAbsent(data, first.key);
    const again = await openDataKey({ dataDir: data, log: captureLog() });
    expect(again.key.equals(first.key)).toBe(true);

    // Without its keychain entry the store refuses to start instead of creating a new, wrong key.
    await keytar.deletePassword(KEYCHAIN_SERVICE, keychainAccount(first.storeId));
    await expect(openDataKey({ dataDir: data, log: captureLog() })).rejects.toThrow(/not in this user's keychain/);
    await keytar.setPassword(KEYCHAIN_SERVICE, keychainAccount(first.storeId), first.key.toString('base64'));
    expect((await openDataKey({ dataDir: data, log: captureLog() })).key.equals(first.key)).toBe(true);
  });

  it('uses the key file instead when one is configured explicitly', async () => {
    const data = tempDir();
    const res = await openDataKey({ dataDir: data, keyFile: path.join(tempDir(), 'd.key'), log: captureLog() });
    expect(res.source).toBe('file');
  });
});
