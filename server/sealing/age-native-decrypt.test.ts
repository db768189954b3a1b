import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { ageIdentitySecret, isAgeRecipient } from '../../common/age-keys';
import { AgeError } from '../../node/age-error';
import { decodeBase64, decryptWith, encryptTo, generateX25519Key, importX25519Secret } from '../../node/age-files';
import { createAgeDecryptor } from './age-native-decrypt';
import { AGE_CLI, missing } from '../../node/test/requirements';


describe('age helpers', () => {
  it('validates recipients by pattern and checksum', async () => {
    const good = await identityToRecipient(await generateIdentity());
    expect(isAgeRecipient(good)).toBe(true);
    expect(isAgeRecipient(good.slice(0, -1) + (good.endsWith('q') ? 'p' : 'q'))).toBe(false);
    for (const bad of ['', 'age1', 'AGE1' + good.slice(4), good + 'q', 42, null]) expect(isAgeRecipient(bad)).toBe(false);
  });

  it('round-trips through encryptTo / decryptWith with a non-extractable key', async () => {
    const { key, secret } = await generateX25519Key();
    secret.fill(0);
    const file = await encryptTo(key.recipient, new Uint8Array([1, 2, 3]));
    expect([...(await decryptWith(key.cryptoKey, file))]).toEqual([1, 2, 3]);
    const other = await generateX25519Key();
    await expect(decryptWith(other.key.cryptoKey, file)).rejects.toBeInstanceOf(AgeError);
  });

  it('decodes base64 strictly', () => {
    expect([...decodeBase64('AQID', 10, 'x')]).toEqual([1, 2, 3]);
    for (const bad of ['', 'AQI', 'AQ!D', 'A'.repeat(100)]) expect(() => decodeBase64(bad, 10, 'x')).toThrow(AgeError);
  });
});

describe('native age decryptor', () => {
  it('decrypts what age-encryption writes, at every chunk boundary', async () => {
    const secret = new Uint8Array(randomBytes(32));
    const key = await importX25519Secret(secret);
    const decryptor = createAgeDecryptor(key.keyObject);
    for (const size of [0, 1, 1000, 65535, 65536, 65537, 131072, 200_000]) {
      const plain = randomBytes(size);
      const e = new Encrypter();
      e.addRecipient(key.recipient);
      const file = await e.encrypt(plain);
      expect(decryptor.decrypt(file)?.equals(plain)).toBe(true);
    }
  });

  it('returns null for a file sealed to another key and throws on damage', async () => {
    const mine = await generateX25519Key();
    const other = await generateX25519Key();
    const decryptor = createAgeDecryptor(mine.key.keyObject);
    const foreign = await encryptTo(other.key.recipient, randomBytes(100));
    expect(decryptor.decrypt(foreign)).toBeNull();
    const file = Buffer.from(await encryptTo(mine.key.recipient, randomBytes(70_000)));
    const flipped = Buffer.from(file);
    flipped[flipped.length - 5]! ^= 1;
    expect(() => decryptor.decrypt(flipped)).toThrow(AgeError);
    expect(() => decryptor.decrypt(file.subarray(0, file.length - 20))).toThrow(AgeError);
    expect(() => decryptor.decrypt(file.subarray(0, file.length - 70_000))).toThrow(AgeError);
    const headerEnd = file.indexOf('\n---') + 1;
    const badMac = Buffer.from(file);
    badMac[headerEnd + 5] = badMac[headerEnd + 5] === 65 ? 66 : 65;
    expect(() => decryptor.decrypt(badMac)).toThrow(AgeError);
    expect(() => decryptor.decrypt(Buffer.from('not an age file'))).toThrow(AgeError);
  });

  it.skipIf(missing(AGE_CLI))('agrees with the age CLI in both directions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-age-'));
    try {
      const identity = await generateIdentity();
      const recipient = await identityToRecipient(identity);
      fs.writeFileSync(path.join(dir, 'id.txt'), identity + '\n', { mode: 0o600 });
      const plain = randomBytes(150_000);
      fs.writeFileSync(path.join(dir, 'plain'), plain);
      execFileSync('age', ['-r', recipient, '-o', path.join(dir, 'cli.age'), path.join(dir, 'plain')]);
      // Our decryptor and the package both read the CLI's file.
      const cliFile = fs.readFileSync(path.join(dir, 'cli.age'));
      expect(Buffer.from(await decryptWith(identity, cliFile)).equals(plain)).toBe(true);
      const secret = ageIdentitySecret(identity)!;
      const key = await importX25519Secret(secret);
      secret.fill(0);
      expect(key.recipient).toBe(recipient);
      expect(createAgeDecryptor(key.keyObject).decrypt(cliFile)?.equals(plain)).toBe(true);
      // The CLI reads what we encrypt.
      fs.writeFileSync(path.join(dir, 'ours.age'), await encryptTo(recipient, plain));
      const out = execFileSync('age', ['-d', '-i', path.join(dir, 'id.txt'), path.join(dir, 'ours.age')], { maxBuffer: 1 << 24 });
      expect(out.equals(plain)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
