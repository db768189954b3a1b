import type { CaseView } from '../../common/schemas/cases';
import type { X25519Key } from '../../node/age-files';
import type { AuditLog } from '../audit/audit-log';
import { KeyShareRepo } from '../keys/key-share-repo';
import type { SealingKeysPort } from '../keys/sealing-keys';
import type { Logger } from '../log/logger';
import type { Db } from '../store/database';
import type { ScanProgress } from './case-scan';
import { CaseRepo, type CaseRecord } from './case-repo';
import { CaseScopeRepo } from './case-scope-repo';
import type { RecordStore } from './record-store';

/**
 * What a case holds in memory only: its ephemeral key, the re-wrapped shares received so far and,
 * once unsealed, the matching records. Nothing here is ever written to disk; a restart loses it.
 */
export interface CaseRuntime {
  caseKey: X25519Key | null;
  /** keyId → userId → the share re-wrapped to caseKey (an age file the server can open only with caseKey). */
  wrapped: Map<string, Map<string, Buffer>>;
  phase: 'collecting' | 'unsealing' | 'ready';
  progress: ScanProgress | null;
  /** The unsealed records (off-heap, wiped on close and expiry). */
  results: RecordStore | null;
  truncated: boolean;
  cancelled: boolean;
}

/** Settings of the cases feature. */
export interface CaseSettings {
  sealedDir: string;
  /** How long a case (and, once unsealed, its results) lives. */
  ttlMs: number;
  /** Most records a case keeps; beyond it the results are marked truncated. */
  maxRecords: number;
}

/** Services and state the case modules share. */
export interface CaseContext {
  db: Db;
  audit: AuditLog;
  log: Logger;
  now: () => Date;
  keys: SealingKeysPort;
  settings: CaseSettings;
  repo: CaseRepo;
  shares: KeyShareRepo;
  scope: CaseScopeRepo;
  runtimes: Map<string, CaseRuntime>;
  /** A staff member's name and e-mail by user id (for `openedBy`), or null. */
  staffName: (userId: string) => { name: string; email: string } | null;
}

export function createCaseContext(deps: Pick<CaseContext, 'db' | 'audit' | 'log' | 'now' | 'keys' | 'settings' | 'staffName'>): CaseContext {
  return { ...deps, repo: new CaseRepo(deps.db), shares: new KeyShareRepo(deps.db), scope: new CaseScopeRepo(deps.db), runtimes: new Map() };
}

/** Told to approvers after a restart: the case key lived only in memory. */
export const RESTART_NOTICE =
  'The server restarted, so the case key and any unsealed results held in memory were lost. Approvals were reset: approvers must approve again.';

/** The notice a case carries by itself (parts sealed to a throwaway key), before restarts or truncation add to it. */
export function baseNotice(rec: { unopenableKeyIds: string[] }): string | null {
  return rec.unopenableKeyIds.length
    ? 'Part of this window was sealed to a throwaway key (before the first key ceremony); those records can never be opened.'
    : null;
}

/** Drops a case's in-memory state (keys, shares, results); the runtime object is emptied for any scan still holding it. */
export function dropRuntime(c: CaseContext, id: string): void {
  const rt = c.runtimes.get(id);
  if (!rt) return;
  rt.cancelled = true;
  for (const byUser of rt.wrapped.values()) for (const b of byUser.values()) b.fill(0);
  rt.wrapped.clear();
  rt.caseKey = null;
  rt.results?.wipe();
  rt.results = null;
  c.runtimes.delete(id);
}

/** The public view of a case. */
export function caseView(c: CaseContext, rec: CaseRecord): CaseView {
  const rt = c.runtimes.get(rec.id);
  const approvals = c.repo.approvals(rec.id);
  const keys = rec.keyIds.map((keyId) => {
    const ceremony = c.shares.ceremony(keyId);
    return {
      keyId,
      threshold: ceremony?.threshold ?? 0,
      approvals: approvals.filter((a) => a.keyId === keyId).length,
      shareholders: c.shares.shares(keyId).map((s) => s.userId),
    };
  });
  const open = rec.status === 'awaiting_approval' || rec.status === 'ready';
  const status = open && rt?.phase === 'unsealing' ? 'unsealing' : rec.status;
  return {
    id: rec.id,
    status,
    reason: rec.reason,
    window: { from: rec.from, to: rec.to },
    filters: rec.filters,
    affectedCustomerId: rec.affectedCustomerId,
    createdBy: rec.createdBy,
    openedBy: c.staffName(rec.createdBy),
    createdAt: rec.createdAt,
    expiresAt: open ? rec.expiresAt : null,
    approvals: approvals.map((a) => ({ userId: a.userId, keyId: a.keyId, at: a.at })),
    required: keys.reduce((m, k) => Math.max(m, k.threshold), 0),
    keys,
    casePublicKey: status === 'awaiting_approval' ? (rt?.caseKey?.recipient ?? null) : null,
    customerInvolvement: rec.involvement,
    progress: open && rt?.progress ? { ...rt.progress } : null,
    resultCount: rec.status === 'ready' && rt?.results ? rt.results.count : null,
    notice: rec.notice,
  };
}
