import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/**
 * The encrypted backup container, version 1:
 *
 *   header (80 bytes, plain but authenticated):
 *     "CEBACKUP" | u8 version=1 | 3 zero bytes | u64be createdAt ms | u64be expiresAt ms (0: none)
 *     | 16-byte store id | 32-byte random salt | u32be chunk size
 *   chunks: u32be plaintext length | AES-256-GCM ciphertext | 16-byte tag
 *
 * Each file has its own key, HKDF-SHA256(backup subkey of the data key, salt), so nonces can be the
 * chunk counter. The associated data of every chunk is the header, its index and a final flag: a
 * changed header, reordered, dropped or appended chunks and a truncated file all fail to decrypt.
 */
export const MAGIC = Buffer.from('CEBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 80;
export const CHUNK_BYTES = 64 * 1024;
const TAG_BYTES = 16;

/** A backup could not be read: the message is one line a person can act on. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupHeader {
  version: number;
  createdAt: Date;
  /** When the backup must be gone (its oldest sealed-log month expires), or null. */
  expiresAt: Date | null;
  storeId: string;
  salt: Buffer;
  chunkBytes: number;
}

/** Serialises a header. */
export function encodeHeader(h: BackupHeader): Buffer {
  const b = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(b, 0);
  b.writeUInt8(h.version, 8);
  b.writeBigUInt64BE(BigInt(h.createdAt.getTime()), 12);
  b.writeBigUInt64BE(BigInt(h.expiresAt?.getTime() ?? 0), 20);
  Buffer.from(h.storeId, 'hex').copy(b, 28);
  h.salt.copy(b, 44);
  b.writeUInt32BE(h.chunkBytes, 76);
  return b;
}

/** Parses and checks a header; throws a BackupError naming what is wrong. */
export function decodeHeader(b: Buffer, file: string): BackupHeader {
  if (b.length < HEADER_BYTES || !b.subarray(0, 8).equals(MAGIC)) throw new BackupError(`${file} is not a Creative Engine backup.`);
  const version = b.readUInt8(8);
  if (version !== FORMAT_VERSION) throw new BackupError(`${file} has backup format version ${version}; this version reads only ${FORMAT_VERSION}.`);
  const chunkBytes = b.readUInt32BE(76);
  if (chunkBytes < 1024 || chunkBytes > 16 * 1024 * 1024) throw new BackupError(`${file} is damaged (impossible chunk size).`);
  const expires = Number(b.readBigUInt64BE(20));
  return {
    version,
    createdAt: new Date(Number(b.readBigUInt64BE(12))),
    expiresAt: expires ? new Date(expires) : null,
    storeId: b.subarray(28, 44).toString('hex'),
    salt: Buffer.from(b.subarray(44, 76)),
    chunkBytes,
  };
}

/** A fresh header for a new backup. */
export function newHeader(storeId: string, createdAt: Date, expiresAt: Date | null): BackupHeader {
  return { version: FORMAT_VERSION, createdAt, expiresAt, storeId, salt: randomBytes(32), chunkBytes: CHUNK_BYTES };
}

const fileKey = (backupKey: Buffer, salt: Buffer) => Buffer.from(hkdfSync('sha256', backupKey, salt, Buffer.from('creative-engine backup file v1'), 32));

function chunkParams(header: Buffer, index: number, final: boolean): { nonce: Buffer; aad: Buffer } {
  const nonce = Buffer.alloc(12);
  nonce.writeBigUInt64BE(BigInt(index), 4);
  const aad = Buffer.alloc(HEADER_BYTES + 9);
  header.copy(aad, 0);
  aad.writeBigUInt64BE(BigInt(index), HEADER_BYTES);
  aad.writeUInt8(final ? 1 : 0, HEADER_BYTES + 8);
  return { nonce, aad };
}

/** Writes the header, then encrypts whatever is pushed, in chunks; `finish` writes the final chunk. */
export class ChunkWriter {
  private readonly key: Buffer;
  private readonly headerBytes: Buffer;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  /** Bytes written to the file so far. */
  written = 0;

  constructor(private readonly out: FileHandle, header: BackupHeader, backupKey: Buffer) {
    this.key = fileKey(backupKey, header.salt);
    this.headerBytes = encodeHeader(header);
  }

  async start(): Promise<void> {
    await this.write(this.headerBytes);
  }

  /** Adds plaintext; full chunks are encrypted and written at once. */
  async push(data: Buffer): Promise<void> {
    this.pending.push(data);
    this.pendingBytes += data.length;
    while (this.pendingBytes > CHUNK_BYTES) {
      const all = Buffer.concat(this.pending, this.pendingBytes);
      await this.writeChunk(all.subarray(0, CHUNK_BYTES), false);
      this.pending = [all.subarray(CHUNK_BYTES)];
      this.pendingBytes = all.length - CHUNK_BYTES;
    }
  }

  /** Encrypts the rest as the final chunk (possibly empty) and wipes the file key. */
  async finish(): Promise<void> {
    await this.writeChunk(Buffer.concat(this.pending, this.pendingBytes), true);
    this.pending = [];
    this.key.fill(0);
  }

  private async writeChunk(plain: Buffer, final: boolean): Promise<void> {
    const { nonce, aad } = chunkParams(this.headerBytes, this.index++, final);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(plain.length);
    await this.write(Buffer.concat([len, cipher.update(plain), cipher.final(), cipher.getAuthTag()]));
  }

  private async write(b: Buffer): Promise<void> {
    let off = 0;
    while (off < b.length) off += (await this.out.write(b, off, b.length - off)).bytesWritten;
    this.written += b.length;
  }
}

/** Reads and authenticates the chunks of a backup file, yielding plaintext; throws BackupError on any damage. */
export async function* readChunks(input: FileHandle, headerBytes: Buffer, header: BackupHeader, backupKey: Buffer, file: string): AsyncGenerator<Buffer> {
  const key = fileKey(backupKey, header.salt);
  let pos = HEADER_BYTES;
  const readExactly = async (n: number): Promise<Buffer | null> => {
    const b = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await input.read(b, got, n - got, pos + got);
      if (bytesRead === 0) return got === 0 ? null : b.subarray(0, got);
      got += bytesRead;
    }
    pos += n;
    return b;
  };
  try {
    for (let index = 0; ; index++) {
      const len = await readExactly(4);
      if (!len || len.length < 4) throw new BackupError(`${file} is truncated (it ends before its last chunk).`);
      const size = len.readUInt32BE(0);
      if (size > header.chunkBytes) throw new BackupError(`${file} is damaged (chunk ${index} has an impossible length).`);
      const body = await readExactly(size + TAG_BYTES);
      if (!body || body.length < size + TAG_BYTES) throw new BackupError(`${file} is truncated (it ends inside chunk ${index}).`);
      const plain = decryptChunk(key, headerBytes, index, body, size, file);
      if (plain.final) {
        const extra = await readExactly(1);
        if (extra) throw new BackupError(`${file} is damaged (data after its last chunk).`);
        if (plain.data.length) yield plain.data;
        return;
      }
      yield plain.data;
    }
  } finally {
    key.fill(0);
  }
}

function decryptChunk(key: Buffer, headerBytes: Buffer, index: number, body: Buffer, size: number, file: string): { data: Buffer; final: boolean } {
  // The final flag is not stored: try the chunk as a middle one, then as the last one.
  for (const final of [false, true]) {
    const { nonce, aad } = chunkParams(headerBytes, index, final);
    const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    d.setAAD(aad);
    d.setAuthTag(body.subarray(size));
    try {
      return { data: Buffer.concat([d.update(body.subarray(0, size)), d.final()]), final };
    } catch {
      // try the other flag
    }
  }
  throw new BackupError(
    index === 0
      ? `${file} cannot be decrypted with this installation's data key: it belongs to another installation or is damaged.`
      : `${file} is damaged (chunk ${index} failed authentication).`,
  );
}
