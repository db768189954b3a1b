import { createHash } from 'node:crypto';
import { isAgeRecipient } from '../common/age-keys';
import type { CaseView, MyShares } from '../common/schemas/cases';
import type { AdminCall } from './admin-call';
import { KeychainError, type ApproverKeychain } from './approver-keychain';

// Approving with open eyes: the approver's own process (CLI or desktop main) fetches the case from
// the server, shows what it is about to unseal, and re-wraps its shares only to the key the server
// itself reported. No caller can hand in a key: there is no parameter for one.

/** Why an approval did not happen; the message is one line a person can act on. */
export type CaseApprovalErrorCode = 'not_found' | 'not_awaiting' | 'not_an_approver' | 'key_mismatch' | 'declined' | 'not_enrolled';

export class CaseApprovalError extends Error {
  override name = 'CaseApprovalError';
  constructor(readonly code: CaseApprovalErrorCode, message: string) {
    super(message);
  }
}

/** What approveCase needs; note: the case key is not among it, it is always fetched. */
export interface ApproveCaseInput {
  /** Calls the server as the signed-in approver. */
  adminCall: AdminCall;
  keychain: ApproverKeychain;
  /** GET /api/server-info → installationId: names the keychain entry. */
  installationId: string;
  email: string;
  /** Server origins an older version filed the identity under (moved on first use). */
  legacyOrigins?: readonly string[];
  caseId: string;
  /** Shows the summary (or its own wording of the case) and resolves whether the person approved it (native dialog, /dev/tty or --yes). */
  confirm: (summary: string, view: CaseView) => Promise<boolean>;
}

export interface ApproveCaseResult {
  /** Shares re-wrapped and submitted now (0 when this approver had approved every key already). */
  submitted: number;
  view: CaseView;
}

const CASE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A short fingerprint of a case key to compare by eye or over the phone: first 16 bytes of SHA-256, grouped. */
export function caseKeyFingerprint(recipient: string): string {
  const hex = createHash('sha256').update(recipient, 'utf8').digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)!.join(' ');
}

/** The case as text for the confirmation: reason, window, filters, who opened it, approvals per key and the case key. */
export function describeCase(view: CaseView): string {
  const filters = Object.entries(view.filters ?? {}).filter(([, v]) => v !== undefined && v !== '');
  const opened = view.openedBy ? `${oneLine(view.openedBy.name)} <${oneLine(view.openedBy.email)}>` : `user ${view.createdBy}`;
  const lines = [
    `Case ${view.id} (${view.status.replace(/_/g, ' ')})`,
    `Opened by: ${opened} at ${view.createdAt}`,
    `Reason: ${oneLine(view.reason)}`,
    `Window: ${view.window.from} to ${view.window.to}`,
    `Filters: ${filters.length ? filters.map(([k, v]) => `${k}=${oneLine(String(v))}`).join(', ') : 'none (every record in the window)'}`,
  ];
  if (view.affectedCustomerId) lines.push(`Affected customer: ${view.affectedCustomerId}${view.customerInvolvement ? ' (involvement recorded)' : ' (involvement not yet recorded)'}`);
  lines.push(`Approvals so far: ${view.keys.length ? view.keys.map((k) => `${k.keyId}: ${k.approvals} of ${k.threshold}`).join(', ') : 'no key covers this window'}`);
  if (view.casePublicKey) lines.push(`Case key: ${view.casePublicKey}`, `Case key fingerprint: ${caseKeyFingerprint(view.casePublicKey)}`);
  if (view.notice) lines.push(`Notice: ${oneLine(view.notice)}`);
  return lines.join('\n');
}

/**
 * Fetches the case and this approver's shares itself, checks the case awaits approval and that both
 * answers name the same case key, asks `confirm` with describeCase's text, and only then re-wraps
 * each unapproved share to that key and submits it.
 */
export async function approveCase(input: ApproveCaseInput): Promise<ApproveCaseResult> {
  const { adminCall, keychain, caseId, confirm } = input;
  if (typeof caseId !== 'string' || !CASE_ID.test(caseId)) throw new CaseApprovalError('not_found', 'That is not a case id.');
  const who = { installationId: input.installationId, email: input.email, legacyOrigins: input.legacyOrigins };
  if (!(await keychain.publicKey(who))) throw new KeychainError('not_enrolled', 'Not enrolled: this computer holds no approver identity for this server and user.');

  const path = `/api/cases/${encodeURIComponent(caseId)}`;
  const view = await adminCall<CaseView>('GET', path).catch((err: unknown) => {
    throw statusOf(err) === 404 ? new CaseApprovalError('not_found', `Case ${caseId} was not found.`) : err;
  });
  if (view.status !== 'awaiting_approval') throw new CaseApprovalError('not_awaiting', `The case is ${String(view.status).replace(/_/g, ' ')}; it takes no approvals.`);
  const mine = await adminCall<MyShares>('GET', `${path}/shares/mine`).catch((err: unknown) => {
    throw statusOf(err) === 403 ? new CaseApprovalError('not_an_approver', 'You hold no key share for this case.') : err;
  });
  const key = view.casePublicKey;
  if (!key || !isAgeRecipient(key) || mine?.caseId !== view.id || mine.casePublicKey !== key) {
    throw new CaseApprovalError('key_mismatch', 'The server named two different case keys (or none); nothing was approved.');
  }
  const open = (mine.shares ?? []).filter((s) => !s.approved);
  if (open.length === 0) return { submitted: 0, view };

  if (!(await confirm(describeCase(view), view))) throw new CaseApprovalError('declined', 'Not approved: you declined.');

  let latest = view;
  let submitted = 0;
  for (const share of open) {
    const rewrappedShare = await keychain.rewrapShare(who, share.encryptedShare, key);
    latest = await adminCall<CaseView>('POST', `${path}/approvals`, { keyId: share.keyId, rewrappedShare });
    submitted++;
  }
  return { submitted, view: latest };
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

// Text from the server is shown in a dialog and a terminal: one line, no control characters.
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').slice(0, 2000);
}
