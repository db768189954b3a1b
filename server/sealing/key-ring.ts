import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ageRecipientFromKey } from '../../common/age-keys';
import type { Db } from '../store/database';
import { AgeX25519Encryptor } from './age-encrypt';
import { SealingKeyRepo, type SealingKey } from './sealing-key-repo';

export type { SealingKey };

/** What the console and GET /api/keys/status say about sealing. */
export interface SealingStatus {
  sealing: 'throwaway' | 'ceremony';
  keyId: string;
  since: string;
}

/** Plain warning for the serve log (and the console) while no ceremony has been held. */
export const THROWAWAY_WARNING = 'sealed access logs can never be opened: no key ceremony yet';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new key id: `sk_` and 16 base32 characters (80 random bits); safe inside segment file names. */
function newKeyId(): string {
  let out = 'sk_';
  for (const b of randomBytes(16)) out += ID_ALPHABET[b & 31];
  return out;
}

/**
 * The public keys access logs are sealed to. One is current; retired ones stay listed so old
 * segments can be matched to their ceremony's shares. The server never holds a private key here.
 */
export class KeyRing {
  private readonly repo: SealingKeyRepo;
  private readonly listeners: Array<(key: SealingKey) => void> = [];

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.repo = new SealingKeyRepo(db);
  }

  /**
   * The current key; before the first ceremony, creates a throwaway key: an X25519 pair whose
   * private half is dropped at once (it never leaves OpenSSL as bytes), keeping only the recipient.
   */
  ensureCurrent(): SealingKey {
    const existing = this.repo.current();
    if (existing) return existing;
    const pair = generateKeyPairSync('x25519');
    const publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).subarray(12);
    const key = { id: newKeyId(), recipient: ageRecipientFromKey(publicKey), kind: 'throwaway' as const, activatedAt: this.now().toISOString() };
    this.db.transaction(() => this.repo.replaceCurrent(key)).immediate();
    return { ...key, retiredAt: null };
  }

  /** The key new logs are sealed to (null only before ensureCurrent ran on a fresh store). */
  current(): SealingKey | null {
    return this.repo.current();
  }

  /** Every key on record, oldest first. */
  history(): SealingKey[] {
    return this.repo.list();
  }

  get(id: string): SealingKey | null {
    return this.repo.get(id);
  }

  /** `{sealing, keyId, since}` for the console; null before ensureCurrent. */
  status(): SealingStatus | null {
    const key = this.repo.current();
    return key ? { sealing: key.kind, keyId: key.id, since: key.activatedAt } : null;
  }

  /**
   * Makes `recipient` (a ceremony's public key) the current key and retires the previous one.
   * `record(keyId)` runs inside the same transaction (store the shares there): if it throws,
   * nothing changes. Once committed, the sealer flushes its batch to the old key and starts a new
   * segment with the new one. Must not be called inside an open transaction, so that the sealer
   * never switches to a key whose transaction could still roll back.
   */
  async activate(recipient: string, _meta?: object, record?: (keyId: string) => void): Promise<SealingKey> {
    if (this.db.inTransaction) throw new Error('KeyRing.activate must not run inside a transaction; pass the work as `record`.');
    new AgeX25519Encryptor(recipient); // throws unless it is a valid age X25519 recipient
    const key = { id: newKeyId(), recipient, kind: 'ceremony' as const, activatedAt: this.now().toISOString() };
    this.db.transaction(() => {
      this.repo.replaceCurrent(key);
      record?.(key.id);
    }).immediate();
    const active: SealingKey = { ...key, retiredAt: null };
    for (const listener of this.listeners) listener(active);
    return active;
  }

  /** Called after every activation (the sealer switches keys). */
  onActivate(listener: (key: SealingKey) => void): void {
    this.listeners.push(listener);
  }
}
