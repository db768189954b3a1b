import { createHash } from 'node:crypto';
import { split } from 'shamir-secret-sharing';
import { APPROVER_ROLES, type Role } from '../../common/roles';
import type { CeremonyInput } from '../../common/schemas/keys';
import { MAX_CEREMONY_APPROVERS } from '../../common/schemas/keys';
import { encryptTo, generateX25519Key } from '../../node/age-files';
import type { AuditLog } from '../audit/audit-log';
import { HttpError } from '../http/http-error';
import type { Db } from '../store/database';
import type { ApproverRepo } from './approver-repo';
import { KeyShareRepo, type StoredShare } from './key-share-repo';
import type { SealingKeysPort } from './sealing-keys';

/** What a finished ceremony reports (public data only). */
export interface CeremonyResult {
  keyId: string;
  recipient: string;
  threshold: number;
  shareholders: Array<{ userId: string; roles: Role[] }>;
  warnings: string[];
}

/**
 * Runs a key ceremony: a fresh master X25519 identity is split k-of-n with Shamir's scheme, each
 * share encrypted (age) to one enrolled approver's public key and stored; sealing switches to the
 * new public key; the private key and the plaintext shares are wiped. Earlier keys stay for old logs.
 */
export async function runCeremony(
  deps: { db: Db; approvers: ApproverRepo; audit: AuditLog; keys: SealingKeysPort; now: () => Date },
  input: CeremonyInput,
  actorId: string,
): Promise<CeremonyResult> {
  const chosen = pickApprovers(deps.approvers, input.approvers);
  const n = chosen.length;
  if (n < 2) throw new HttpError(409, 'ceremony_too_few_approvers', 'A ceremony needs at least two enrolled approvers (management and the DPO). Have them enrol first.');
  if (n > MAX_CEREMONY_APPROVERS) throw new HttpError(400, 'ceremony_too_many_approvers', `A ceremony may name at most ${MAX_CEREMONY_APPROVERS} approvers.`, undefined, undefined, { max: MAX_CEREMONY_APPROVERS });
  const threshold = input.threshold ?? n;
  if (threshold < 2 || threshold > n) throw new HttpError(400, 'ceremony_threshold_invalid', `The threshold must be between 2 and the number of approvers (${n}).`, undefined, undefined, { max: n });
  const roles = (a: { roles: Role[] }) => a.roles.filter((r) => APPROVER_ROLES.includes(r));
  const covers = (role: Role) => chosen.some((a) => a.roles.includes(role));
  if (!covers('management') || !covers('dpo')) throw new HttpError(409, 'ceremony_roles_missing', 'The approvers must include at least one member of management and the DPO.');
  const warnings: string[] = [];
  for (const role of ['management', 'dpo'] as const) {
    const without = chosen.filter((a) => !a.roles.includes(role)).length;
    if (without >= threshold) warnings.push(`${without} approvers without the role ${role} could reach the threshold; the server still requires a ${role} approval for every case.`);
  }

  const { key, secret } = await generateX25519Key();
  let shares: Uint8Array[] = [];
  const stored: Array<Omit<StoredShare, 'keyId'>> = [];
  try {
    shares = await split(secret, n, threshold);
    secret.fill(0);
    for (let i = 0; i < n; i++) {
      const a = chosen[i]!;
      const share = shares[i]!;
      const encryptedShare = Buffer.from(await encryptTo(a.publicKey, share));
      stored.push({ userId: a.userId, roles: roles(a), approverPublicKey: a.publicKey, encryptedShare, shareHash: createHash('sha256').update(share).digest('hex') });
      share.fill(0);
    }
  } finally {
    secret.fill(0);
    for (const s of shares) s.fill(0);
  }

  const at = deps.now().toISOString();
  const repo = new KeyShareRepo(deps.db);
  // Shares and the key switch are recorded together: logs are never sealed to a key without shares.
  const activated = await deps.keys.activate(key.recipient, { createdBy: actorId, threshold, shareCount: n }, (keyId) => {
    repo.insert(
      { keyId, recipient: key.recipient, threshold, shareCount: n, createdBy: actorId, createdAt: at },
      stored.map((s) => ({ ...s, keyId })),
    );
    deps.audit.append({
      actor: actorId,
      action: 'key.ceremony',
      target: keyId,
      details: { recipient: key.recipient, threshold, shares: n, shareholders: stored.map((s) => s.userId) },
    });
  });
  return { keyId: activated.id, recipient: key.recipient, threshold, shareholders: stored.map((s) => ({ userId: s.userId, roles: s.roles })), warnings };
}

type Enrolled = { userId: string; name: string; email: string; roles: Role[]; publicKey: string };

function pickApprovers(repo: ApproverRepo, ids: readonly string[] | undefined): Enrolled[] {
  if (!ids) {
    return repo
      .list()
      .filter((a) => a.enrolled)
      .map((a) => ({ userId: a.userId, name: a.name, email: a.email, roles: a.roles, publicKey: a.publicKey! }));
  }
  const unique = [...new Set(ids)];
  if (unique.length !== ids.length) throw new HttpError(400, 'ceremony_duplicate_approver', 'Each approver may be named only once.');
  const out: Enrolled[] = [];
  const notEnrolled: string[] = [];
  const notEnrolledNames: string[] = [];
  for (const [index, id] of unique.entries()) {
    const a = repo.get(id);
    if (!a || a.disabled) throw new HttpError(400, 'ceremony_approver_inactive', `Approver ${index + 1} in the list is not an active staff account.`, undefined, undefined, { position: index + 1 });
    if (!a.roles.some((r) => APPROVER_ROLES.includes(r))) throw new HttpError(400, 'ceremony_approver_role', `${a.name} (${id}) holds no approver role (management or dpo).`, undefined, undefined, { name: a.name });
    if (!a.enrolled || !a.publicKey) {
      notEnrolled.push(`${a.name} (${id})`);
      notEnrolledNames.push(a.name);
    }
    else out.push({ userId: a.userId, name: a.name, email: a.email, roles: a.roles, publicKey: a.publicKey });
  }
  if (notEnrolled.length) throw new HttpError(409, 'ceremony_not_enrolled', `Not enrolled yet: ${notEnrolled.join(', ')}. Each approver must enrol (desktop app or \`creative-engine approver enroll\`) first.`, undefined, undefined, { names: notEnrolledNames });
  return out;
}
