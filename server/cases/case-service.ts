import { randomBytes } from 'node:crypto';
import { can } from '../../common/access';
import type { CaseCreateInput, CasesWaiting, CaseView } from '../../common/schemas/cases';
import type { Page } from '../../common/schemas/paging';
import { generateX25519Key } from '../../node/age-files';
import type { Session } from '../admin/admin-route';
import { HttpError, notFound } from '../http/http-error';
import { listSegments } from '../sealing/segment-reader';
import type { CaseRecord, StoredCaseStatus } from './case-repo';
import { baseNotice, caseView, dropRuntime, RESTART_NOTICE, type CaseContext, type CaseRuntime } from './case-state';
import type { RecordStore } from './record-store';

/** Records may be sealed up to a flush interval after their time: look this far past the window for keys. */
const KEY_SLACK_MS = 60_000;

const newCaseId = () => `cas_${randomBytes(10).toString('hex')}`;

/** Loads a case (expiring it first when due); 404 when unknown. */
export function findCase(c: CaseContext, id: string | undefined): CaseRecord {
  const rec = id && /^cas_[0-9a-f]{20}$/.test(id) ? c.repo.get(id) : null;
  if (!rec) throw notFound('The case');
  if (isOpen(rec) && Date.parse(rec.expiresAt) <= c.now().getTime()) {
    expire(c, rec);
    return c.repo.get(rec.id)!;
  }
  return rec;
}

const isOpen = (rec: CaseRecord) => rec.status === 'awaiting_approval' || rec.status === 'ready';

/** The in-memory state of an open case, created (with a fresh case key) when missing. */
export async function runtimeOf(c: CaseContext, rec: CaseRecord): Promise<CaseRuntime> {
  let rt = c.runtimes.get(rec.id);
  if (!rt) {
    const { key, secret } = await generateX25519Key();
    secret.fill(0);
    rt = c.runtimes.get(rec.id) ?? { caseKey: key, wrapped: new Map(), phase: 'collecting', progress: null, results: null, truncated: false, cancelled: false };
    c.runtimes.set(rec.id, rt);
  }
  return rt;
}

/** Opens a case: checks the window against the clock and the catalogue, finds the keys that sealed it. */
export async function createCase(c: CaseContext, input: CaseCreateInput, session: Session): Promise<CaseView> {
  const now = c.now();
  const from = new Date(input.from);
  const to = new Date(input.to);
  if (to.getTime() > now.getTime()) throw new HttpError(400, 'case_window_in_future', 'The window must end in the past (`to` is after now).');
  for (const [kind, id] of [['zone', input.filters.zoneId], ['site', input.filters.siteId], ['customer', input.filters.customerId], ['customer', input.affectedCustomerId]] as const) {
    if (id && !c.scope.exists(kind, id)) throw new HttpError(400, 'case_scope_unknown', `There is no ${kind} ${id}.`, undefined, undefined, { kind });
  }
  const { keyIds, unopenable } = keysForWindow(c, from, to);
  if (keyIds.length === 0) {
    throw unopenable.length
      ? new HttpError(409, 'case_window_unopenable', 'Every log in this window was sealed to a throwaway key (before the first key ceremony) and can never be opened.')
      : new HttpError(409, 'case_window_no_key', 'No key ceremony covers this window: there are no logs that could be unsealed.');
  }
  const notice = baseNotice({ unopenableKeyIds: unopenable });
  const rec: CaseRecord = {
    id: newCaseId(),
    reason: input.reason,
    from: from.toISOString(),
    to: to.toISOString(),
    filters: input.filters,
    affectedCustomerId: input.affectedCustomerId ?? null,
    keyIds,
    unopenableKeyIds: unopenable,
    createdBy: session.userId,
    createdAt: now.toISOString(),
    status: 'awaiting_approval',
    involvement: null,
    unsealedAt: null,
    closedAt: null,
    expiresAt: new Date(now.getTime() + c.settings.ttlMs).toISOString(),
    notice,
  };
  c.db.transaction(() => {
    c.repo.insert(rec);
    c.audit.append({
      actor: session.userId,
      action: 'case.open',
      target: rec.id,
      details: {
        from: rec.from,
        to: rec.to,
        // Filter values may be personal data (an IP prefix); the audit names only which were set, plus catalogue ids.
        filters: Object.keys(input.filters).sort(),
        zoneId: input.filters.zoneId,
        siteId: input.filters.siteId,
        customerId: input.filters.customerId,
        affectedCustomerId: rec.affectedCustomerId,
        keyIds,
      },
    });
  })();
  await runtimeOf(c, rec);
  return caseView(c, rec);
}

/** Ceremony keys (and throwaway keys) whose logs overlap the window: by segment names and by key activity. */
function keysForWindow(c: CaseContext, from: Date, to: Date): { keyIds: string[]; unopenable: string[] } {
  const ids = new Set(listSegments(c.settings.sealedDir, { from, to }).map((s) => s.keyId));
  for (const k of c.keys.history()) {
    const start = Date.parse(k.activatedAt);
    const end = k.retiredAt ? Date.parse(k.retiredAt) + KEY_SLACK_MS : Infinity;
    if (start < to.getTime() + KEY_SLACK_MS && end > from.getTime()) ids.add(k.id);
  }
  const keyIds = [...ids].filter((id) => c.shares.ceremony(id) !== null).sort();
  const unopenable = [...ids].filter((id) => c.shares.ceremony(id) === null).sort();
  return { keyIds, unopenable };
}

/** Lists cases, newest first. */
export function listCases(c: CaseContext, q: { limit: number; offset: number; status?: StoredCaseStatus }): Page<CaseView> {
  sweep(c);
  const page = c.repo.list(q);
  return { ...page, items: page.items.map((rec) => caseView(c, rec)) };
}

/**
 * The cases still collecting approvals in which `userId` holds a share of a key and has not yet
 * approved for it (what the dashboard counts), oldest first.
 */
export function casesWaitingFor(c: CaseContext, userId: string): CasesWaiting {
  sweep(c);
  const ids = c.repo
    .open()
    .filter((rec) => rec.status === 'awaiting_approval')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .filter((rec) => {
      const approvals = c.repo.approvals(rec.id);
      return rec.keyIds.some((keyId) => c.shares.shares(keyId).some((s) => s.userId === userId) && !approvals.some((a) => a.userId === userId && a.keyId === keyId));
    })
    .map((rec) => rec.id);
  return { count: ids.length, ids };
}

/** Records that the affected customer was involved (required before approvals when one is named). */
export function recordInvolvement(c: CaseContext, id: string | undefined, note: string, session: Session): CaseView {
  const rec = findCase(c, id);
  if (rec.status !== 'awaiting_approval') throw new HttpError(409, 'case_not_open', `The case is ${rec.status}; involvement is recorded before unsealing.`, undefined, undefined, { status: rec.status });
  if (!rec.affectedCustomerId) throw new HttpError(409, 'case_no_affected_customer', 'This case names no affected customer.');
  if (rec.involvement) throw new HttpError(409, 'case_involvement_recorded', 'The customer’s involvement is already recorded for this case.');
  const at = c.now().toISOString();
  c.db.transaction(() => {
    c.repo.setInvolvement(rec.id, note, session.userId, at);
    c.audit.append({ actor: session.userId, action: 'case.customer_involvement', target: rec.id, details: { customerId: rec.affectedCustomerId } });
  })();
  return caseView(c, c.repo.get(rec.id)!);
}

/** Closes a case (its creator or an admin) and deletes its results. */
export function closeCase(c: CaseContext, id: string | undefined, session: Session): CaseView {
  const rec = findCase(c, id);
  if (rec.createdBy !== session.userId && !can(session.roles, 'closeAnyCase')) throw new HttpError(403, 'case_close_forbidden', 'Only the case’s creator or an admin may close it.');
  if (!isOpen(rec)) throw new HttpError(409, 'case_already_closed', `The case is already ${rec.status}.`, undefined, undefined, { status: rec.status });
  const records = c.runtimes.get(rec.id)?.results?.count ?? 0;
  dropRuntime(c, rec.id);
  c.db.transaction(() => {
    c.repo.setStatus(rec.id, { status: 'closed', closedAt: c.now().toISOString() });
    c.audit.append({ actor: session.userId, action: 'case.close', target: rec.id, details: { recordsDeleted: records } });
  })();
  return caseView(c, c.repo.get(rec.id)!);
}

function expire(c: CaseContext, rec: CaseRecord): void {
  const records = c.runtimes.get(rec.id)?.results?.count ?? 0;
  dropRuntime(c, rec.id);
  c.db.transaction(() => {
    c.repo.setStatus(rec.id, { status: 'expired', closedAt: c.now().toISOString() });
    c.audit.append({ actor: 'system', action: 'case.expire', target: rec.id, details: { recordsDeleted: records } });
  })();
}

/** Expires every case whose time is up (timer and list calls). */
export function sweep(c: CaseContext): number {
  const due = c.repo.due(c.now().toISOString());
  for (const rec of due) expire(c, rec);
  return due.length;
}

/** At start-up: case keys and results lived in memory, so open cases with approvals start over. */
export function resetAfterRestart(c: CaseContext): number {
  let reset = 0;
  for (const rec of c.repo.open()) {
    if (rec.status !== 'ready' && c.repo.approvals(rec.id).length === 0) continue;
    c.db.transaction(() => {
      c.repo.clearApprovals(rec.id);
      c.repo.setStatus(rec.id, { status: 'awaiting_approval', unsealedAt: null, notice: [RESTART_NOTICE, baseNotice(rec)].filter(Boolean).join(' ') });
      c.audit.append({ actor: 'system', action: 'case.reset', target: rec.id, details: { reason: 'restart', was: rec.status } });
    })();
    reset++;
  }
  return reset;
}

/** The unsealed records of a case, for its creator and its approvers only. */
export function resultsFor(c: CaseContext, id: string | undefined, session: Session): { rec: CaseRecord; records: RecordStore; truncated: boolean } {
  const rec = findCase(c, id);
  const approvers = new Set(c.repo.approvals(rec.id).map((a) => a.userId));
  if (rec.createdBy !== session.userId && !approvers.has(session.userId)) {
    throw new HttpError(403, 'case_records_forbidden', 'Only the case’s creator and its approvers may see its records.');
  }
  const rt = c.runtimes.get(rec.id);
  if (rec.status !== 'ready' || !rt?.results) {
    const status = rt?.phase === 'unsealing' ? 'unsealing' : rec.status;
    throw new HttpError(409, 'case_records_unavailable', `The case's records are not available: the case is ${status.replace('_', ' ')}.`, undefined, undefined, { status });
  }
  return { rec, records: rt.results, truncated: rt.truncated };
}
