import { createHash, randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as vectors from 'cctv-age';
import { describe, expect, it } from 'vitest';
import { ageIdentitySecret } from '../../common/age-keys';
import { AgeError } from '../../node/age-error';
import { importX25519Secret } from '../../node/age-files';
import { createAgeDecryptor } from './age-native-decrypt';

// C2SP's age test vectors (CCTV, the `cctv-age` package) run through the native decryptor. Each
// vector is a `key: value` text header, a blank line, then the age file (zlib-compressed when
// `compressed: zlib`). The decryptor supports X25519 only and no armor, so scrypt-only, armored and
// other-recipient-type (hybrid ML-KEM) vectors are skipped, and counted so none is skipped silently.

interface Vector {
  name: string;
  expect: string;
  payload: string | null;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  unknownKeys: string[];
  file: Buffer;
}

const KNOWN_KEYS = new Set(['expect', 'payload', 'file key', 'identity', 'passphrase', 'armored', 'compressed', 'comment']);

function parseVector(name: string, bytes: Uint8Array): Vector {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const split = raw.indexOf('\n\n');
  if (split === -1) throw new Error(`vector ${name} has no blank line`);
  const fields = new Map<string, string[]>();
  for (const line of raw.toString('utf8', 0, split).split('\n')) {
    const at = line.indexOf(': ');
    const key = line.slice(0, at);
    fields.set(key, [...(fields.get(key) ?? []), line.slice(at + 2)]);
  }
  const one = (key: string) => fields.get(key)?.[0] ?? null;
  const body = raw.subarray(split + 2);
  return {
    name,
    expect: one('expect') ?? '',
    payload: one('payload'),
    identities: fields.get('identity') ?? [],
    passphrases: fields.get('passphrase') ?? [],
    armored: one('armored') === 'yes',
    unknownKeys: [...fields.keys()].filter((k) => !KNOWN_KEYS.has(k)),
    file: one('compressed') === 'zlib' ? inflateSync(body) : body,
  };
}

/** Why the native decryptor cannot run this vector, or null when it must. */
function skipReason(v: Vector): string | null {
  if (v.unknownKeys.length > 0) return 'unknown key'; // the vectors' README: ignore such files
  if (v.armored) return 'armored';
  if (v.identities.some((id) => !id.startsWith('AGE-SECRET-KEY-1'))) return 'other recipient type';
  if (v.identities.length === 0 && v.passphrases.length > 0) return 'scrypt';
  return null;
}

/** What the decryptor must do, in its own terms: the plaintext, no match (null), or an AgeError of a kind. */
const OUTCOME: Record<string, string> = {
  success: 'decrypted',
  'no match': 'no match',
  'HMAC failure': 'refused: mac',
  'header failure': 'refused: header',
  'payload failure': 'refused: payload',
};

async function decryptorFor(identity: string) {
  const secret = ageIdentitySecret(identity);
  if (!secret) throw new Error('not an X25519 identity');
  const key = await importX25519Secret(secret);
  secret.fill(0);
  return createAgeDecryptor(key.keyObject);
}

/** Runs the file past each identity in turn, as age does: the first match or the first refusal ends it. */
async function outcomeOf(v: Vector): Promise<{ outcome: string; plaintext?: Buffer }> {
  // A vector without identities (the empty file) must fail before any key is used: try a fresh one.
  const identities = v.identities.length > 0 ? v.identities : [null];
  for (const identity of identities) {
    const decryptor = identity ? await decryptorFor(identity) : createAgeDecryptor((await importX25519Secret(randomBytes(32))).keyObject);
    try {
      const plaintext = decryptor.decrypt(v.file);
      if (plaintext) return { outcome: 'decrypted', plaintext };
    } catch (err) {
      if (!(err instanceof AgeError)) throw err;
      return { outcome: `refused: ${err.kind}` };
    }
  }
  return { outcome: 'no match' };
}

const all = Object.entries(vectors as Record<string, Uint8Array>)
  .filter(([, bytes]) => bytes instanceof Uint8Array)
  .map(([name, bytes]) => parseVector(name, bytes))
  .sort((a, b) => (a.name < b.name ? -1 : 1));
const run = all.filter((v) => skipReason(v) === null);
const skipped = new Map<string, number>();
for (const v of all) {
  const reason = skipReason(v);
  if (reason) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
}

describe('age test vectors (C2SP CCTV) through the native decryptor', () => {
  it('runs every X25519, unarmoured vector and skips only the others', () => {
    console.log(`age vectors: ${all.length} in cctv-age, ${run.length} run, skipped ${JSON.stringify(Object.fromEntries(skipped))}`);
    expect(all.length).toBe(143);
    expect(run.length).toBe(68);
    expect(Object.fromEntries(skipped)).toEqual({ armored: 33, 'other recipient type': 18, scrypt: 24 });
    expect(run.every((v) => v.expect in OUTCOME)).toBe(true);
  });

  it.each(run.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const { outcome, plaintext } = await outcomeOf(v);
    expect(outcome).toBe(OUTCOME[v.expect]);
    if (plaintext) expect(createHash('sha256').update(plaintext).digest('hex')).toBe(v.payload);
  });
});
