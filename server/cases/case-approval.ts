import { createHash, timingSafeEqual } from 'node:crypto';
import { combine } from 'shamir-secret-sharing';
import type { ApprovalInput, CaseView, MyShares } from '../../common/schemas/cases';
import { decodeBase64, importX25519Secret } from '../../node/age-files';
import { createAgeDecryptor, type AgeFileDecryptor } from '../sealing/age-native-decrypt';
import type { Session } from '../admin/admin-route';
import { HttpError } from '../http/http-error';
import type { CaseRecord } from './case-repo';
import { scanSegments } from './case-scan';
import { findCase, runtimeOf } from './case-service';
import { baseNotice, caseView, dropRuntime, type CaseContext, type CaseRuntime } from './case-state';
import { recordMatcher, resolveScope } from './record-filter';

const SHARE_BYTES = 33;

const alreadyApproved = () => new HttpError(409, 'case_already_approved', 'You have already approved this case for this key.');

const shareInvalid = (message: string) => new HttpError(400, 'case_share_invalid', message);

/** GET /api/cases/:id/shares/mine: this approver's encrypted shares of the keys the case needs, and the case key. */
export async function sharesFor(c: CaseContext, id: string | undefined, session: Session): Promise<MyShares> {
  const rec = findCase(c, id);
  if (rec.status !== 'awaiting_approval') throw new HttpError(409, 'case_not_open', `The case is ${rec.status.replace('_', ' ')}; it takes no approvals.`, undefined, undefined, { status: rec.status });
  const approved = new Set(c.repo.approvals(rec.id).filter((a) => a.userId === session.userId).map((a) => a.keyId));
  const shares = rec.keyIds.flatMap((keyId) => {
    const s = c.shares.share(keyId, session.userId);
    return s ? [{ keyId, encryptedShare: s.encryptedShare.toString('base64'), approved: approved.has(keyId) }] : [];
  });
  if (shares.length === 0) throw new HttpError(403, 'case_no_share', 'You hold no share of the keys this case needs.');
  const rt = await runtimeOf(c, rec);
  c.audit.append({ actor: session.userId, action: 'case.share_fetch', target: rec.id, details: { keyIds: shares.map((s) => s.keyId) } });
  return { caseId: rec.id, casePublicKey: rt.caseKey!.recipient, shares };
}

/**
 * POST /api/cases/:id/approvals: checks the re-wrapped share against the case key and the hash
 * recorded at the ceremony (a wrong or foreign share fails here, cleanly), records the approval, and
 * starts unsealing once every key the case needs has its quorum.
 */
export async function approveCase(c: CaseContext, id: string | undefined, input: ApprovalInput, session: Session): Promise<CaseView> {
  const rec = findCase(c, id);
  if (rec.status !== 'awaiting_approval') throw new HttpError(409, 'case_not_open', `The case is ${rec.status}; it takes no more approvals.`, undefined, undefined, { status: rec.status });
  const rt = await runtimeOf(c, rec);
  if (rt.phase !== 'collecting') throw new HttpError(409, 'case_unsealing', 'The case is unsealing; it takes no more approvals.');
  if (rec.affectedCustomerId && !rec.involvement) {
    throw new HttpError(409, 'case_involvement_missing', 'This case affects a customer: record their involvement (POST …/customer-involvement) before approving.');
  }
  if (!rec.keyIds.includes(input.keyId)) throw shareInvalid(`Key ${input.keyId} sealed none of this case's logs.`);
  const stored = c.shares.share(input.keyId, session.userId);
  if (!stored) throw new HttpError(403, 'case_no_share', `You hold no share of key ${input.keyId}.`);
  if (c.repo.approvals(rec.id).some((a) => a.userId === session.userId && a.keyId === input.keyId)) {
    throw alreadyApproved();
  }
  const reject = (reason: string, message: string): never => {
    c.audit.append({ actor: session.userId, action: 'case.approval_rejected', target: rec.id, details: { keyId: input.keyId, reason } });
    throw shareInvalid(message);
  };
  let wrapped: Buffer;
  try {
    wrapped = Buffer.from(decodeBase64(input.rewrappedShare, 3072, 'The share'));
  } catch {
    return reject('not_base64', 'The re-wrapped share is not valid base64.');
  }
  let plain: Buffer | null = null;
  try {
    try {
      plain = createAgeDecryptor(rt.caseKey!.keyObject).decrypt(wrapped);
    } catch {
      plain = null;
    }
    if (!plain) return reject('not_for_case_key', 'The share was not re-wrapped to this case’s key (or it is damaged). Fetch the case key again and re-wrap.');
    const hash = createHash('sha256').update(plain).digest();
    if (plain.length !== SHARE_BYTES || !timingSafeEqual(hash, Buffer.from(stored.shareHash, 'hex'))) {
      return reject('wrong_share', `This is not your share of key ${input.keyId} (it belongs to another key or approver).`);
    }
  } finally {
    plain?.fill(0);
  }
  const at = c.now().toISOString();
  c.db.transaction(() => {
    if (!c.repo.addApproval(rec.id, { keyId: input.keyId, userId: session.userId, at })) throw alreadyApproved();
    c.audit.append({ actor: session.userId, action: 'case.approve', target: rec.id, details: { keyId: input.keyId } });
  })();
  let byUser = rt.wrapped.get(input.keyId);
  if (!byUser) rt.wrapped.set(input.keyId, (byUser = new Map()));
  byUser.set(session.userId, wrapped);
  if (quorumReached(c, rec)) startUnseal(c, rec, rt, session.userId);
  return caseView(c, c.repo.get(rec.id)!);
}

/** Every key the case needs has k valid shares, from management and the DPO alike. */
function quorumReached(c: CaseContext, rec: CaseRecord): boolean {
  const approvals = c.repo.approvals(rec.id);
  return rec.keyIds.every((keyId) => {
    const ceremony = c.shares.ceremony(keyId);
    if (!ceremony) return false;
    const holders = new Map(c.shares.shares(keyId).map((s) => [s.userId, s.roles]));
    const approvers = approvals.filter((a) => a.keyId === keyId && holders.has(a.userId));
    const roles = new Set(approvers.flatMap((a) => holders.get(a.userId)!));
    return approvers.length >= ceremony.threshold && roles.has('management') && roles.has('dpo');
  });
}

/** Reconstructs one master key from the re-wrapped shares; every plaintext share and the secret are wiped. */
async function reconstruct(rt: CaseRuntime, keyId: string, recipient: string): Promise<AgeFileDecryptor> {
  const decryptor = createAgeDecryptor(rt.caseKey!.keyObject);
  const shares: Buffer[] = [];
  let secret: Uint8Array | null = null;
  try {
    for (const w of rt.wrapped.get(keyId)?.values() ?? []) {
      const s = decryptor.decrypt(w);
      if (s) shares.push(s);
    }
    // shamir-secret-sharing insists on plain Uint8Arrays: views over the same bytes, so wiping still reaches them.
    secret = await combine(shares.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.length)));
    const key = await importX25519Secret(secret);
    if (key.recipient !== recipient) throw new Error(`The shares do not reconstruct key ${keyId}.`);
    return createAgeDecryptor(key.keyObject);
  } finally {
    secret?.fill(0);
    for (const s of shares) s.fill(0);
  }
}

function startUnseal(c: CaseContext, rec: CaseRecord, rt: CaseRuntime, actor: string): void {
  rt.phase = 'unsealing';
  rt.progress = { segmentsDone: 0, segmentsTotal: 0, records: 0 };
  c.audit.append({ actor, action: 'case.unseal_start', target: rec.id, details: { keyIds: rec.keyIds } });
  void unseal(c, rec, rt).catch((err: unknown) => {
    if (rt.cancelled) return;
    const reason = err instanceof Error ? err.message : 'unknown error';
    c.log.error('case unsealing failed', { caseId: rec.id, error: reason });
    // Users and the audit log get the kind of failure only; the server log keeps the details (paths).
    const code = (err as { code?: unknown } | null)?.code;
    const kind = typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code) ? `a storage error (${code})` : 'an error while reading the sealed logs';
    // The case key may already be gone (it is dropped once the master keys are rebuilt): start the
    // case over with a fresh runtime, so the next share fetch gets a new case key instead of a 500.
    dropRuntime(c, rec.id);
    c.db.transaction(() => {
      c.repo.clearApprovals(rec.id);
      c.repo.setStatus(rec.id, { status: 'awaiting_approval', notice: [`Unsealing failed with ${kind}; approvals were reset.`, baseNotice(rec)].filter(Boolean).join(' ') });
      c.audit.append({ actor: 'system', action: 'case.unseal_failed', target: rec.id, details: { reason: kind } });
    })();
  });
}

async function unseal(c: CaseContext, rec: CaseRecord, rt: CaseRuntime): Promise<void> {
  const decryptors = new Map<string, AgeFileDecryptor>();
  for (const keyId of rec.keyIds) decryptors.set(keyId, await reconstruct(rt, keyId, c.shares.ceremony(keyId)!.recipient));
  // The case key and the shares have done their job.
  for (const byUser of rt.wrapped.values()) for (const b of byUser.values()) b.fill(0);
  rt.wrapped.clear();
  rt.caseKey = null;
  const result = await scanSegments({
    sealedDir: c.settings.sealedDir,
    window: { from: new Date(rec.from), to: new Date(rec.to) },
    decryptors,
    match: recordMatcher(resolveScope(rec, rec.filters, c.scope)),
    maxRecords: c.settings.maxRecords,
    onProgress: (p) => (rt.progress = p),
    cancelled: () => rt.cancelled,
  });
  decryptors.clear(); // drops the master keys (node:crypto KeyObjects) for the garbage collector
  if (rt.cancelled) {
    result.store.wipe();
    return;
  }
  rt.results = result.store;
  rt.truncated = result.truncated;
  rt.phase = 'ready';
  const now = c.now();
  const truncatedNote = result.truncated ? ` Only the first ${c.settings.maxRecords} matching records were kept; narrow the filters.` : '';
  c.db.transaction(() => {
    c.repo.setStatus(rec.id, {
      status: 'ready',
      unsealedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + c.settings.ttlMs).toISOString(),
      notice: ((baseNotice(rec) ?? '') + truncatedNote).trim() || null,
    });
    c.audit.append({
      actor: 'system',
      action: 'case.unsealed',
      target: rec.id,
      details: { records: result.store.count, segments: result.segments, frames: result.frames, framesUnreadable: result.framesUnreadable, segmentsMissing: result.segmentsMissing, tornTails: result.tornTails, truncated: result.truncated },
    });
  })();
}
