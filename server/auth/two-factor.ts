import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOTP_REQUIRED_ROLES, type Role } from '../../common/roles';
import type { TotpEnrolment, TotpStatus } from '../../common/schemas/user';
import type { FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';
import { SettingsRepo } from '../store/settings-repo';
import { base32Encode } from '../../common/base32';
import { looksLikeTotpCode, matchTotpStep, newTotpSecret, otpauthUri } from './totp';
import { PORTAL_TOTP_TABLES, STAFF_TOTP_TABLES, TotpRepo, type TotpTables } from './totp-repo';

export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Creative Engine';

/** Whose second factors a TwoFactor handles: their tables, and whether staff rules say who must have one. */
export interface TotpOwner {
  tables: TotpTables;
  /** Staff: roles (or the installation setting) may require it. Customer users: always optional. */
  requirement: 'staff-roles' | 'optional';
}

export const STAFF_TOTP: TotpOwner = { tables: STAFF_TOTP_TABLES, requirement: 'staff-roles' };
export const PORTAL_TOTP: TotpOwner = { tables: PORTAL_TOTP_TABLES, requirement: 'optional' };

/** How a second factor was checked: a TOTP code, a recovery code, or neither matched (wrong or replayed). */
export type SecondFactorResult = 'totp' | 'recovery_code' | 'invalid';

/** Recovery codes: 10 base32 characters (50 bits) as `xxxxx-xxxxx`, lower-case. */
function newRecoveryCode(): string {
  const bytes = randomBytes(7);
  const code = base32Encode(bytes).slice(0, 10).toLowerCase();
  bytes.fill(0);
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** The stored form of a recovery code: SHA-256 of its normalised form (codes have 50 random bits, no salt needed). */
const hashRecoveryCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

/**
 * Two-factor sign-in of one kind of account (staff, or customer portal users: `owner`): enrolment, confirmation with the first code, checking codes at sign-in
 * (replays refused), single-use recovery codes, and who must have it (roles, or everyone by setting).
 */
export class TwoFactor {
  private readonly repo: TotpRepo;
  private readonly settings: SettingsRepo;

  private readonly secretTable: string;

  constructor(private readonly db: Db, private readonly cipher: FieldCipher, private readonly now: () => Date, private readonly owner: TotpOwner = STAFF_TOTP) {
    this.repo = new TotpRepo(db, owner.tables);
    this.settings = new SettingsRepo(db);
    this.secretTable = owner.tables.totp;
  }

  /** Whether this user's roles (or the installation setting) require a second factor; never for optional owners. */
  required(roles: readonly Role[]): boolean {
    if (this.owner.requirement === 'optional') return false;
    return this.requiredForAll() || roles.some((r) => TOTP_REQUIRED_ROLES.includes(r));
  }

  requiredForAll(): boolean {
    return this.settings.get('totp_required_for_all') === '1';
  }

  setRequiredForAll(value: boolean): void {
    this.settings.set('totp_required_for_all', value ? '1' : '0');
  }

  enabled(userId: string): boolean {
    return this.repo.isEnabled(userId);
  }

  /** Required but not enabled: the session may only enrol. */
  enrolmentDue(userId: string, roles: readonly Role[]): boolean {
    return this.required(roles) && !this.enabled(userId);
  }

  status(userId: string, roles: readonly Role[]): TotpStatus {
    const enabled = this.enabled(userId);
    return { enabled, required: this.required(roles), recoveryCodesLeft: enabled ? this.repo.unusedCodeHashes(userId).length : 0 };
  }

  /** Starts (or restarts) an enrolment; null when two-factor sign-in is already on. */
  begin(userId: string, email: string): TotpEnrolment | null {
    if (this.enabled(userId)) return null;
    const secret = newTotpSecret();
    this.repo.savePending(userId, this.cipher.encrypt(secret, this.secretRef(userId)), this.now().toISOString());
    return { secret, otpauthUri: otpauthUri(secret, email, ISSUER) };
  }

  /** Confirms a pending enrolment with its first code; the recovery codes (shown once), or null for a wrong code or no enrolment. */
  confirm(userId: string, code: string): string[] | null | 'none_pending' {
    const record = this.repo.find(userId);
    if (!record || record.enabled) return 'none_pending';
    const secret = this.cipher.decrypt(record.encryptedSecret, this.secretRef(userId));
    const step = matchTotpStep(secret, code, this.now().getTime(), record.lastStep);
    if (step === null) return null;
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    this.db.transaction(() => this.repo.enable(userId, step, codes.map(hashRecoveryCode), this.now().toISOString())).immediate();
    return codes;
  }

  /** Checks a TOTP code or a recovery code of a user with two-factor sign-in on; uses it up when it matches. */
  check(userId: string, input: string): SecondFactorResult {
    const record = this.repo.find(userId);
    if (!record?.enabled) return 'invalid';
    if (looksLikeTotpCode(input)) {
      const secret = this.cipher.decrypt(record.encryptedSecret, this.secretRef(userId));
      const step = matchTotpStep(secret, input, this.now().getTime(), record.lastStep);
      return step !== null && this.repo.acceptStep(userId, step) ? 'totp' : 'invalid';
    }
    const given = Buffer.from(hashRecoveryCode(input), 'hex');
    let found: string | null = null;
    for (const hash of this.repo.unusedCodeHashes(userId)) {
      if (timingSafeEqual(Buffer.from(hash, 'hex'), given) && found === null) found = hash;
    }
    return found !== null && this.repo.useCode(userId, found, this.now().toISOString()) ? 'recovery_code' : 'invalid';
  }

  // Bound to the owner's table, so a secret cannot be moved between staff and portal rows.
  private secretRef(userId: string) {
    return { table: this.secretTable, column: 'secret', rowId: userId };
  }

  /** Removes a user's second factor (disable or an admin's reset); true when there was one (pending or on). */
  remove(userId: string): boolean {
    return this.repo.remove(userId);
  }
}
