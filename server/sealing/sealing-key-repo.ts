import type { Db } from '../store/database';

/** A key access logs are (or were) sealed to; only its public recipient is ever stored. */
export interface SealingKey {
  id: string;
  recipient: string;
  /** `throwaway`: sealed before the first ceremony, its private half never existed outside memory; such logs can never be opened. */
  kind: 'throwaway' | 'ceremony';
  /** When sealing to it began (column created_at). */
  activatedAt: string;
  retiredAt: string | null;
}

interface Row {
  id: string;
  recipient: string;
  kind: 'throwaway' | 'ceremony';
  created_at: string;
  retired_at: string | null;
}

const toKey = (r: Row): SealingKey => ({ id: r.id, recipient: r.recipient, kind: r.kind, activatedAt: r.created_at, retiredAt: r.retired_at });

/** SQL for the sealing_keys table. */
export class SealingKeyRepo {
  constructor(readonly db: Db) {}

  current(): SealingKey | null {
    const row = this.db.prepare('SELECT * FROM sealing_keys WHERE retired_at IS NULL').get() as Row | undefined;
    return row ? toKey(row) : null;
  }

  get(id: string): SealingKey | null {
    const row = this.db.prepare('SELECT * FROM sealing_keys WHERE id = ?').get(id) as Row | undefined;
    return row ? toKey(row) : null;
  }

  /** Every key, oldest first. */
  list(): SealingKey[] {
    return (this.db.prepare('SELECT * FROM sealing_keys ORDER BY created_at ASC, rowid ASC').all() as Row[]).map(toKey);
  }

  /** Retires the current key (if any) and makes `key` current; call inside a transaction. */
  replaceCurrent(key: Omit<SealingKey, 'retiredAt'>): void {
    this.db.prepare('UPDATE sealing_keys SET retired_at = ? WHERE retired_at IS NULL').run(key.activatedAt);
    this.db.prepare('INSERT INTO sealing_keys (id, recipient, kind, created_at, retired_at) VALUES (?, ?, ?, ?, NULL)').run(key.id, key.recipient, key.kind, key.activatedAt);
  }
}
