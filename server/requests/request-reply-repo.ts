import { randomBytes } from 'node:crypto';
import { base32Encode } from '../../common/base32';
import type { RequestReply } from '../../common/schemas/requests';
import type { FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';

interface Row {
  id: string;
  request_id: string;
  author_kind: 'customer' | 'staff';
  author_id: string;
  message_enc: string;
  created_at: string;
}

/** A new reply id: `rpl_` and 16 base32 characters (80 random bits). */
const newReplyId = () => `rpl_${base32Encode(randomBytes(10)).toLowerCase()}`;

/**
 * Answers to forwarded requests (`request_replies`): the only SQL on that table. Messages are
 * personal data, encrypted and bound to their row. Erasure needs no key (retention passes a null cipher).
 */
export class RequestReplyRepo {
  constructor(private readonly db: Db, private readonly fieldCipher: FieldCipher | null) {}

  private get cipher(): FieldCipher {
    if (!this.fieldCipher) throw new Error('The data key is not loaded.');
    return this.fieldCipher;
  }

  /** Stores a reply (encrypted) and returns it. */
  add(input: { requestId: string; authorKind: 'customer' | 'staff'; authorId: string; message: string }, now: Date): RequestReply {
    const id = newReplyId();
    const at = now.toISOString();
    const enc = this.cipher.encrypt(input.message, { table: 'request_replies', column: 'message', rowId: id });
    this.db
      .prepare('INSERT INTO request_replies (id, request_id, author_kind, author_id, message_enc, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, input.requestId, input.authorKind, input.authorId, enc, at);
    return { id, requestId: input.requestId, authorKind: input.authorKind, authorId: input.authorId, message: input.message, createdAt: at };
  }

  /** A request's replies, oldest first, decrypted. */
  list(requestId: string): RequestReply[] {
    const rows = this.db.prepare('SELECT * FROM request_replies WHERE request_id = ? ORDER BY created_at, rowid').all(requestId) as Row[];
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      authorKind: r.author_kind,
      authorId: r.author_id,
      message: this.cipher.decrypt(r.message_enc, { table: 'request_replies', column: 'message', rowId: r.id }),
      createdAt: r.created_at,
    }));
  }

  /** Deletes a request's replies (with its personal data); returns how many. */
  eraseFor(requestId: string): number {
    return this.db.prepare('DELETE FROM request_replies WHERE request_id = ?').run(requestId).changes;
  }
}
