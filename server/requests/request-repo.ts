import { randomBytes } from 'node:crypto';
import type { Page } from '../../common/schemas/paging';
import type { PortalRequestDetail, PortalRequestItem } from '../../common/schemas/portal';
import type { DataRequest, PersonalDataState, RequestKind, RequestListQuery, RequestStatus } from '../../common/schemas/requests';
import { normalizeEmail, type FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';
import { requestDeadline } from './deadline';
import { RequestReplyRepo } from './request-reply-repo';

interface Row {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  customer_id: string | null;
  submitter_hash: string | null;
  name_enc: string | null;
  email_enc: string | null;
  message_enc: string | null;
  reply_enc: string | null;
  note_enc: string | null;
  personal_data: PersonalDataState;
  received_at: string;
  due_at: string;
  updated_at: string;
  forwarded_to: string | null;
  forwarded_at: string | null;
  closed_at: string | null;
  retain_until: string | null;
  erased_at: string | null;
  customer_status: 'in_progress' | 'done' | null;
}

/** The personal fields of a request; each stored encrypted in `<field>_enc`. */
type PersonalField = 'name' | 'email' | 'message' | 'reply' | 'note';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** A new request id: `req_` and 16 base32 characters (80 random bits). */
export function newRequestId(): string {
  let out = 'req_';
  for (const byte of randomBytes(16)) out += ALPHABET[byte & 31];
  return out;
}

const SUBMITTER = 'request-email';

/**
 * Contact and data-subject requests; the only module with SQL on `requests`. Encrypts every
 * personal field. Erasure needs no key, so retention runs (`retention run`) pass a null cipher.
 */
export class RequestRepo {
  private readonly replies: RequestReplyRepo;

  constructor(private readonly db: Db, private readonly fieldCipher: FieldCipher | null) {
    this.replies = new RequestReplyRepo(db, fieldCipher);
  }

  private get cipher(): FieldCipher {
    if (!this.fieldCipher) throw new Error('The data key is not loaded.');
    return this.fieldCipher;
  }

  /** Stores a new submission (encrypted) and returns its id. */
  create(input: { kind: RequestKind; name: string; email: string; message: string; customerId: string | null }, now: Date): string {
    const id = newRequestId();
    const enc = (field: PersonalField, value: string) => this.cipher.encrypt(value, { table: 'requests', column: field, rowId: id });
    const at = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO requests (id, kind, status, customer_id, submitter_hash, name_enc, email_enc, message_enc, received_at, due_at, updated_at)
         VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.kind, input.customerId, this.cipher.lookupHash(SUBMITTER, normalizeEmail(input.email)), enc('name', input.name), enc('email', input.email), enc('message', input.message), at, requestDeadline(now).toISOString(), at);
    return id;
  }

  /** One request; personal fields only while present (or with `includeRestricted`, for the subject's own access). */
  get(id: string, options: { includeRestricted?: boolean } = {}): DataRequest | null {
    const row = this.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toRequest(row, options.includeRestricted ?? false) : null;
  }

  /** A page of requests, soonest deadline first (or newest first), filtered by status, kind and due date. */
  list(q: RequestListQuery): Page<DataRequest> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      conditions.push(sql);
      params.push(value);
    };
    if (q.status) where('status = ?', q.status);
    if (q.kind) where('kind = ?', q.kind);
    if (q.dueBefore) where('due_at < ?', new Date(q.dueBefore).toISOString());
    const clause = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = q.sort === 'received' ? 'received_at DESC, id' : "status = 'closed', due_at ASC, id";
    const total = this.db.prepare(`SELECT COUNT(*) FROM requests ${clause}`).pluck().get(...params) as number;
    const rows = this.db.prepare(`SELECT * FROM requests ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`).all(...params, q.limit, q.offset) as Row[];
    return { items: rows.map((r) => this.toRequest(r, false)), total, limit: q.limit, offset: q.offset };
  }

  /** Every request whose submitter had this e-mail address (keyed-hash lookup), restricted ones included. */
  findBySubmitter(email: string): DataRequest[] {
    const rows = this.db.prepare('SELECT * FROM requests WHERE submitter_hash = ? ORDER BY received_at').all(this.cipher.lookupHash(SUBMITTER, normalizeEmail(email))) as Row[];
    return rows.map((r) => this.toRequest(r, true));
  }

  /** Applies staff changes (status, kind, reply, note, customer) to an open request. */
  update(id: string, change: { status?: RequestStatus; kind?: RequestKind; reply?: string; note?: string; customerId?: string | null }, now: Date): void {
    const sets: string[] = ['updated_at = ?'];
    const params: unknown[] = [now.toISOString()];
    const ref = (column: PersonalField) => ({ table: 'requests', column, rowId: id });
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (change.status) set('status', change.status);
    if (change.kind) set('kind', change.kind);
    if (change.reply !== undefined) set('reply_enc', this.cipher.encrypt(change.reply, ref('reply')));
    if (change.note !== undefined) set('note_enc', this.cipher.encrypt(change.note, ref('note')));
    if (change.customerId !== undefined) set('customer_id', change.customerId);
    this.db.prepare(`UPDATE requests SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  }

  /** Records that the request was forwarded to a customer (a new customer starts without a status of its own). */
  markForwarded(id: string, customerId: string, now: Date): void {
    const at = now.toISOString();
    this.db
      .prepare(
        `UPDATE requests SET status = 'forwarded', customer_id = ?, forwarded_to = ?, forwarded_at = ?, updated_at = ?,
           customer_status = CASE WHEN forwarded_to = ? THEN customer_status ELSE NULL END WHERE id = ?`,
      )
      .run(customerId, customerId, at, at, customerId, id);
  }

  /** A page of the requests forwarded to a customer, newest forward first (no personal data). */
  listForwardedTo(customerId: string, paging: { limit: number; offset: number }): Page<PortalRequestItem> {
    const total = this.db.prepare('SELECT COUNT(*) FROM requests WHERE forwarded_to = ?').pluck().get(customerId) as number;
    const rows = this.db
      .prepare(`SELECT ${ITEM_COLUMNS} FROM requests r WHERE forwarded_to = ? ORDER BY forwarded_at DESC, id LIMIT ? OFFSET ?`)
      .all(customerId, paging.limit, paging.offset) as ItemRow[];
    return { items: rows.map(toPortalItem), total, limit: paging.limit, offset: paging.offset };
  }

  /**
   * One request as the customer it was forwarded to sees it, or null when it was not forwarded to
   * `customerId` (another customer's request looks exactly like a missing one). Personal fields only while present.
   */
  getForwarded(id: string, customerId: string): PortalRequestDetail | null {
    const row = this.db.prepare(`SELECT ${ITEM_COLUMNS}, r.name_enc, r.email_enc, r.message_enc FROM requests r WHERE id = ? AND forwarded_to = ?`).get(id, customerId) as
      | (ItemRow & Pick<Row, 'name_enc' | 'email_enc' | 'message_enc'>)
      | undefined;
    if (!row) return null;
    const show = row.personal_data === 'present';
    const dec = (field: 'name' | 'email' | 'message') => (show ? this.cipher.decryptOptional(row[`${field}_enc`], { table: 'requests', column: field, rowId: row.id }) : null);
    return { ...toPortalItem(row), name: dec('name'), email: dec('email'), message: dec('message') };
  }

  /** Sets the customer's own progress on a forwarded request. */
  setCustomerStatus(id: string, status: 'in_progress' | 'done', now: Date): void {
    this.db.prepare('UPDATE requests SET customer_status = ?, updated_at = ? WHERE id = ?').run(status, now.toISOString(), id);
  }

  /**
   * Closes a request: its personal data are wiped now, or kept restricted until `retainUntil`
   * when a retention period applies. Returns what happened.
   */
  close(id: string, now: Date, retainUntil: Date | null): PersonalDataState {
    const at = now.toISOString();
    this.db.prepare("UPDATE requests SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?").run(at, at, id);
    if (retainUntil && retainUntil > now) {
      this.db.prepare("UPDATE requests SET personal_data = 'restricted', retain_until = ? WHERE id = ?").run(retainUntil.toISOString(), id);
      return 'restricted';
    }
    this.erase(id, now);
    return 'erased';
  }

  /** Wipes a request's personal fields, submitter hash and replies; keeps the non-personal record of its handling. */
  erase(id: string, now: Date): void {
    // Replies answer the data subject's message and may quote it: they go with it.
    this.replies.eraseFor(id);
    this.db
      .prepare(
        `UPDATE requests SET name_enc = NULL, email_enc = NULL, message_enc = NULL, reply_enc = NULL, note_enc = NULL,
           submitter_hash = NULL, personal_data = 'erased', retain_until = NULL, erased_at = ? WHERE id = ?`,
      )
      .run(now.toISOString(), id);
  }

  /** Restricted requests whose retention has ended by `now`. */
  dueForErasure(now: Date): string[] {
    return this.db.prepare("SELECT id FROM requests WHERE personal_data = 'restricted' AND retain_until <= ? ORDER BY retain_until").pluck().all(now.toISOString()) as string[];
  }

  /** When the next restricted request's retention ends after `now`, if any. */
  nextErasure(now: Date): Date | null {
    const at = this.db.prepare("SELECT MIN(retain_until) FROM requests WHERE personal_data = 'restricted' AND retain_until > ?").pluck().get(now.toISOString()) as string | null;
    return at ? new Date(at) : null;
  }

  private toRequest(r: Row, includeRestricted: boolean): DataRequest {
    const show = r.personal_data === 'present' || (includeRestricted && r.personal_data === 'restricted');
    const dec = (field: PersonalField) => {
      const stored = r[`${field}_enc`];
      return show ? this.cipher.decryptOptional(stored, { table: 'requests', column: field, rowId: r.id }) : null;
    };
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      customerId: r.customer_id,
      name: dec('name'),
      email: dec('email'),
      message: dec('message'),
      reply: dec('reply'),
      note: dec('note'),
      personalData: r.personal_data,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      updatedAt: r.updated_at,
      forwardedTo: r.forwarded_to,
      forwardedAt: r.forwarded_at,
      closedAt: r.closed_at,
      retainUntil: r.retain_until,
      erasedAt: r.erased_at,
      customerStatus: r.forwarded_to ? (r.customer_status ?? 'new') : null,
    };
  }
}

type ItemRow = Pick<Row, 'id' | 'kind' | 'status' | 'personal_data' | 'received_at' | 'due_at' | 'forwarded_at' | 'customer_status'> & { reply_count: number };

const ITEM_COLUMNS = `r.id, r.kind, r.status, r.personal_data, r.received_at, r.due_at, r.forwarded_at, r.customer_status,
  (SELECT COUNT(*) FROM request_replies p WHERE p.request_id = r.id) AS reply_count`;

const toPortalItem = (r: ItemRow): PortalRequestItem => ({
  id: r.id,
  kind: r.kind,
  status: r.customer_status ?? 'new',
  agencyStatus: r.status,
  personalData: r.personal_data,
  receivedAt: r.received_at,
  dueAt: r.due_at,
  forwardedAt: r.forwarded_at!,
  replyCount: r.reply_count,
});
