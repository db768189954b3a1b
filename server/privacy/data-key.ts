import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log/logger';
import { deriveSubkey } from './field-cipher';

/** Keychain service and the data-directory file naming the store (not secret). */
export const KEYCHAIN_SERVICE = 'creative-engine';
export const DATA_KEY_REF_FILE = 'data-key-ref.json';
export const DATA_KEY_FILE_ENV = 'CREATIVE_ENGINE_DATA_KEY_FILE';
const KEYCHAIN_TIMEOUT_MS = 10_000;

/** The data key could not be found, created or trusted; the message says what to do. */
export class DataKeyError extends Error {
  override name = 'DataKeyError';
}

export type DataKeySource = 'keychain' | 'file';

/** What the data directory records about its key: a random store id, where the key is and a check value. */
interface DataKeyRef {
  storeId: string;
  source?: DataKeySource;
  /** HMAC of a constant under a subkey: detects a wrong key at start, reveals nothing about it. */
  check?: string;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
}

/** The keychain account holding a store's data key. */
export const keychainAccount = (storeId: string) => `data-key:${storeId}`;

/** Loads (or on first start creates) the data key of a data directory from the keychain or the key file. */
export async function openDataKey(options: { dataDir: string; keyFile?: string; log: Logger }): Promise<{ key: Buffer; source: DataKeySource; storeId: string }> {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const refPath = path.join(options.dataDir, DATA_KEY_REF_FILE);
  const ref = readRef(refPath) ?? { storeId: randomBytes(16).toString('hex') };
  const { key, source } = await findDataKey({ storeId: ref.storeId, keyFile: options.keyFile, dataDir: options.dataDir, log: options.log, create: !ref.check });
  const check = keyCheck(key);
  if (ref.check && !timingSafeEqual(Buffer.from(ref.check), Buffer.from(check))) {
    key.fill(0);
    throw new DataKeyError(`The data key from the ${source === 'file' ? 'key file' : 'keychain'} is not the one this data directory was encrypted with; start with the original key.`);
  }
  if (ref.check !== check || ref.source !== source) {
    const tmp = `${refPath}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ storeId: ref.storeId, source, check }, null, 2) + '\n', { mode: 0o600 });
    fs.renameSync(tmp, refPath);
  }
  return { key, source, storeId: ref.storeId };
}

/** The data key file from a flag, else CREATIVE_ENGINE_DATA_KEY_FILE (every command that opens the data key). */
export function dataKeyFileFrom(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const file = flag ?? (env[DATA_KEY_FILE_ENV] || undefined);
  return file === undefined ? undefined : path.resolve(file);
}

/** The store id recorded in a data directory, or null when it has none yet. */
export function storeIdOf(dataDir: string): string | null {
  return readRef(path.join(dataDir, DATA_KEY_REF_FILE))?.storeId ?? null;
}

/**
 * Finds the data key of a store: the key file when one is configured (the CLI takes it from the
 * flag or CREATIVE_ENGINE_DATA_KEY_FILE), else the OS keychain. `create` allows making a new key when none exists (first start only).
 */
export async function findDataKey(options: { storeId: string; keyFile?: string; dataDir: string; log: Logger; create: boolean }): Promise<{ key: Buffer; source: DataKeySource }> {
  const keyFile = options.keyFile;
  if (keyFile) {
    const key = readKeyFile(path.resolve(keyFile), options.dataDir, options.create, options.log);
    options.log.warn('the data key is read from a key file, not the OS keychain: keep that file on another volume, readable only by this service, and back it up apart from the data');
    return { key, source: 'file' };
  }
  const keytar = await loadKeychain();
  if (!keytar) {
    throw new DataKeyError(
      `No OS keychain (Secret Service) is available for the data key. Start with --data-key-file PATH (or ${DATA_KEY_FILE_ENV}) naming a file outside the data directory; it is created if missing.`,
    );
  }
  const account = keychainAccount(options.storeId);
  const stored = await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, account));
  if (stored) return { key: decodeKey(stored, 'The keychain entry'), source: 'keychain' };
  if (!options.create) {
    throw new DataKeyError(`The data key of this data directory (keychain account ${account}) is not in this user's keychain; restore it, or start with the --data-key-file the data were encrypted with.`);
  }
  const key = randomBytes(32);
  await withTimeout(keytar.setPassword(KEYCHAIN_SERVICE, account, key.toString('base64')));
  options.log.info('created a new data key in the OS keychain', { account });
  return { key, source: 'keychain' };
}

/** A check value of the key, safe to store next to the data. */
export function keyCheck(key: Buffer): string {
  const sub = deriveSubkey(key, 'key-check v1');
  const out = createHmac('sha256', sub).update('creative-engine data key check').digest('hex').slice(0, 32);
  sub.fill(0);
  return out;
}

function readRef(file: string): DataKeyRef | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const value = JSON.parse(text) as Partial<DataKeyRef>;
  if (typeof value.storeId !== 'string' || !/^[0-9a-f]{32}$/.test(value.storeId)) {
    throw new DataKeyError(`${file} is damaged (no valid storeId); restore it from a backup.`);
  }
  return { storeId: value.storeId, source: value.source, check: value.check };
}

/** Reads the key file (64 hex characters), creating it with mode 0600 when allowed and missing. */
function readKeyFile(file: string, dataDir: string, create: boolean, log: Logger): Buffer {
  if (isInside(file, dataDir)) {
    throw new DataKeyError('The data key file must not be inside the data directory (a copy of the directory would carry its key); choose a path elsewhere.');
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new DataKeyError(`The data key file cannot be read (${(err as NodeJS.ErrnoException).code}).`);
    if (!create) throw new DataKeyError('The data key file does not exist, but this data directory already has a data key; give the key file (or keychain) it was created with.');
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, key.toString('hex') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    log.info('created a new data key file');
    return key;
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    log.warn('the data key file is readable by other users; run chmod 600 on it');
  }
  return decodeKey(text.trim(), 'The data key file', 'hex');
}

function decodeKey(text: string, what: string, encoding: 'hex' | 'base64' = 'base64'): Buffer {
  const valid = encoding === 'hex' ? /^[0-9a-fA-F]{64}$/.test(text) : /^[A-Za-z0-9+/]{43}=$/.test(text);
  if (!valid) throw new DataKeyError(`${what} does not hold a 32-byte data key${encoding === 'hex' ? ' (64 hexadecimal characters)' : ''}.`);
  return Buffer.from(text, encoding);
}

function isInside(file: string, dir: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      const parent = path.dirname(p);
      return parent === p ? p : path.join(real(parent), path.basename(p));
    }
  };
  const rel = path.relative(real(dir), real(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

let keytarPromise: Promise<Keytar | null> | undefined;
/** keytar when a Secret Service (or the macOS/Windows keychain) answers; null otherwise. */
function loadKeychain(): Promise<Keytar | null> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) return Promise.resolve(null);
  keytarPromise ??= import('keytar')
    .then(async (mod) => {
      const keytar = ((mod as { default?: Keytar }).default ?? (mod as unknown as Keytar));
      await withTimeout(keytar.getPassword(KEYCHAIN_SERVICE, 'data-key:probe'));
      return keytar;
    })
    .catch(() => {
      keytarPromise = undefined;
      return null;
    });
  return keytarPromise;
}

function withTimeout<T>(p: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DataKeyError('The OS keychain did not answer in time.')), KEYCHAIN_TIMEOUT_MS);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
