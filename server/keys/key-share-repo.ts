import type { Role } from '../../common/roles';
import type { Db } from '../store/database';

/** One approver's encrypted share of a ceremony key. */
export interface StoredShare {
  keyId: string;
  userId: string;
  roles: Role[];
  approverPublicKey: string;
  encryptedShare: Buffer;
  shareHash: string;
}

/** A key ceremony's public record: no secret is stored. */
export interface CeremonyRecord {
  keyId: string;
  recipient: string;
  threshold: number;
  shareCount: number;
  createdBy: string;
  createdAt: string;
}

interface CeremonyRow {
  key_id: string;
  recipient: string;
  threshold: number;
  share_count: number;
  created_by: string;
  created_at: string;
}
interface ShareRow {
  key_id: string;
  user_id: string;
  roles: string;
  approver_public_key: string;
  encrypted_share: Buffer;
  share_hash: string;
}

const toCeremony = (r: CeremonyRow): CeremonyRecord => ({
  keyId: r.key_id,
  recipient: r.recipient,
  threshold: r.threshold,
  shareCount: r.share_count,
  createdBy: r.created_by,
  createdAt: r.created_at,
});
const toShare = (r: ShareRow): StoredShare => ({
  keyId: r.key_id,
  userId: r.user_id,
  roles: JSON.parse(r.roles) as Role[],
  approverPublicKey: r.approver_public_key,
  encryptedShare: r.encrypted_share,
  shareHash: r.share_hash,
});

/** Ceremonies and their encrypted shares (tables key_ceremonies, key_shares). */
export class KeyShareRepo {
  constructor(private readonly db: Db) {}

  /** Records a ceremony and all its shares in one transaction. */
  insert(ceremony: CeremonyRecord, shares: readonly StoredShare[]): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO key_ceremonies (key_id, recipient, threshold, share_count, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ceremony.keyId, ceremony.recipient, ceremony.threshold, ceremony.shareCount, ceremony.createdBy, ceremony.createdAt);
      const insert = this.db.prepare(
        'INSERT INTO key_shares (key_id, user_id, roles, approver_public_key, encrypted_share, share_hash) VALUES (?, ?, ?, ?, ?, ?)',
      );
      for (const s of shares) insert.run(s.keyId, s.userId, JSON.stringify(s.roles), s.approverPublicKey, s.encryptedShare, s.shareHash);
    })();
  }

  ceremony(keyId: string): CeremonyRecord | null {
    const row = this.db.prepare('SELECT * FROM key_ceremonies WHERE key_id = ?').get(keyId) as CeremonyRow | undefined;
    return row ? toCeremony(row) : null;
  }

  ceremonies(): CeremonyRecord[] {
    return (this.db.prepare('SELECT * FROM key_ceremonies ORDER BY created_at').all() as CeremonyRow[]).map(toCeremony);
  }

  shares(keyId: string): StoredShare[] {
    return (this.db.prepare('SELECT * FROM key_shares WHERE key_id = ? ORDER BY user_id').all(keyId) as ShareRow[]).map(toShare);
  }

  share(keyId: string, userId: string): StoredShare | null {
    const row = this.db.prepare('SELECT * FROM key_shares WHERE key_id = ? AND user_id = ?').get(keyId, userId) as ShareRow | undefined;
    return row ? toShare(row) : null;
  }
}
