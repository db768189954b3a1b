import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TokenKeys } from './tokens';

/** Where the token keys live inside the data directory. */
export const TOKEN_KEY_PATH = path.join('keys', 'token-hmac.key');
export const PREVIOUS_TOKEN_KEY_PATH = path.join('keys', 'token-hmac.previous.key');
const KEY_BYTES = 32;

/** Loads the token keys from the data directory, creating the current one (0600) at first start. */
export function loadOrCreateTokenKeys(dataDir: string): TokenKeys {
  const currentFile = path.join(dataDir, TOKEN_KEY_PATH);
  let current = readKey(currentFile);
  if (!current) {
    current = randomBytes(KEY_BYTES);
    writeKey(currentFile, current);
  }
  return { current, previous: readKey(path.join(dataDir, PREVIOUS_TOKEN_KEY_PATH)) };
}

/**
 * Makes a new current key and keeps the old one as previous (tokens it signed keep verifying until
 * they expire); the key before that is dropped. Each file is replaced atomically.
 */
export function rotateTokenKeys(dataDir: string, keys: TokenKeys): TokenKeys {
  const next = randomBytes(KEY_BYTES);
  writeKey(path.join(dataDir, PREVIOUS_TOKEN_KEY_PATH), keys.current);
  writeKey(path.join(dataDir, TOKEN_KEY_PATH), next);
  return { current: next, previous: keys.current };
}

function readKey(file: string): Buffer | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`${file} is not a valid token key (expected ${KEY_BYTES} bytes in base64). Restore it from a backup or delete it to create a new one (outstanding ad tokens then stop verifying).`);
  }
  return key;
}

function writeKey(file: string, key: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, key.toString('base64') + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}
