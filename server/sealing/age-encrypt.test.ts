import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { ageRecipientKey } from '../../common/age-keys';
import { parseAgeHeader, parseX25519Stanza } from '../../node/age-header';
import { AgeX25519Encryptor } from './age-encrypt';
import { createTestIdentity } from './test/test-identity';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-age-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SIZES = [0, 1, 1000, 65535, 65536, 65537, 3 * 65536, 200_000];

describe('native age encryptor', () => {
  const id = createTestIdentity();
  const keyFile = path.join(dir, 'key.txt');
  fs.writeFileSync(keyFile, `${id.identity}\n`, { mode: 0o600 });

  it('writes identities and recipients the age tools agree with', async () => {
    expect(await identityToRecipient(id.identity)).toBe(id.recipient);
    const cliRecipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    expect(cliRecipient).toBe(id.recipient);
    const other = await generateX25519Identity();
    const recipient = await identityToRecipient(other);
    expect(ageRecipientKey(recipient)?.length).toBe(32);
  });

  it.each(SIZES)('produces files the age CLI and age-encryption decrypt (%i bytes)', async (size) => {
    const plaintext = Buffer.alloc(size);
    for (let i = 0; i < size; i++) plaintext[i] = (i * 31 + 7) & 0xff;
    const file = new AgeX25519Encryptor(id.recipient).encrypt(plaintext);
    expect(file.length).toBe(file.indexOf('\n', file.indexOf('--- ')) + 1 + AgeX25519Encryptor.payloadSize(size));
    // The header is exactly what the strict parser (and so the native decryptor) accepts.
    const header = parseAgeHeader(file);
    expect(header.stanzas).toHaveLength(1);
    expect(parseX25519Stanza(header.stanzas[0]!).share).toHaveLength(32);
    expect(file.length - header.payloadStart).toBe(AgeX25519Encryptor.payloadSize(size));

    const framePath = path.join(dir, `f${size}.age`);
    fs.writeFileSync(framePath, file);
    const viaCli = execFileSync('age', ['-d', '-i', keyFile, framePath], { maxBuffer: 16 << 20 });
    expect(Buffer.compare(viaCli, plaintext)).toBe(0);

    const d = new Decrypter();
    d.addIdentity(id.identity);
    expect(Buffer.compare(Buffer.from(await d.decrypt(file)), plaintext)).toBe(0);
  });

  it('uses a fresh file key and ephemeral share for every file', () => {
    const e = new AgeX25519Encryptor(id.recipient);
    const a = e.encrypt(Buffer.from('same'));
    const b = e.encrypt(Buffer.from('same'));
    expect(a.equals(b)).toBe(false);
    expect(a.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
  });

  it('cannot be decrypted with another identity', async () => {
    const file = new AgeX25519Encryptor(id.recipient).encrypt(Buffer.from('secret record'));
    const d = new Decrypter();
    d.addIdentity(createTestIdentity().identity);
    await expect(d.decrypt(file)).rejects.toThrow();
  });

  it('refuses malformed recipients', () => {
    expect(() => new AgeX25519Encryptor('age1notarecipient')).toThrow(/Not an age X25519 recipient/);
    const flipped = id.recipient.slice(0, -1) + (id.recipient.endsWith('q') ? 'p' : 'q');
    expect(() => new AgeX25519Encryptor(flipped)).toThrow(/Not an age X25519 recipient/);
    expect(() => new AgeX25519Encryptor(id.recipient.toUpperCase())).toThrow(/Not an age X25519 recipient/);
    expect(ageRecipientKey('Age1' + id.recipient.slice(4))).toBeNull();
  });
});
