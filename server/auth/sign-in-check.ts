import type { IncomingMessage } from 'node:http';
import type { LoginInput as Login } from '../../common/schemas/user';
import { HttpError, tooManyRequests } from '../http/http-error';
import { throttleKeyOfAddress } from './client-address';
import { verifyDummy, verifyPassword } from './password';
import type { PasswordCheckGate } from './password-check-gate';
import type { SignInLimiter } from './sign-in-limiter';
import type { TwoFactor } from './two-factor';

/** The one answer to a wrong e-mail or password (staff and portal alike). */
export const WRONG_CREDENTIALS = 'The e-mail address or password is wrong.';

/** 429 for a throttled sign-in, naming the wait. */
export function tooManyAttempts(waitMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
  return tooManyRequests(seconds, `Too many failed sign-ins. Wait ${wait}, then try again.`);
}

/** An account as sign-in sees it. */
export interface SignInAccount {
  id: string;
  passwordHash: string;
}

/** Why a sign-in failed, as the audit entry names it. */
export type SignInFailure = 'unknown_account' | 'wrong_password' | 'totp_invalid' | (string & {});

/** What one kind of account (staff, customer users) brings to the shared sign-in rules. */
export interface SignInRules<U extends SignInAccount> {
  limits: SignInLimiter;
  passwordChecks: PasswordCheckGate;
  twoFactor: TwoFactor;
  /** The client address the limits count (the forwarded one behind a trusted proxy). */
  clientIp(req: IncomingMessage): string;
  /** The account with this e-mail (any case), with its password hash. */
  lookup(email: string): U | null;
  /** After a right password: a refusal for an account that may not sign in now (disabled, locked customer). */
  refusal(user: U): { reason: string; error: HttpError } | null;
  /** Audits a failed sign-in (user null for an unknown address). */
  failed(user: U | null, reason: SignInFailure): void;
  /** Audits the use of a recovery code. */
  recoveryCodeUsed(user: U): void;
}

/**
 * The sign-in rules staff and customer users share: three-layer limits (account, address, both),
 * the same scrypt cost for unknown accounts, the server's one cap on parallel password checks, then the
 * second factor (401 totp_required without a code, which refunds the attempt; 401 totp_invalid, which
 * does not). Returns the account once everything holds; the caller starts the session.
 */
export async function checkSignIn<U extends SignInAccount>(req: IncomingMessage, input: Login, rules: SignInRules<U>): Promise<U> {
  const { limits, twoFactor } = rules;
  const address = throttleKeyOfAddress(rules.clientIp(req));
  const wait = limits.retryAfterMs(input.email, address);
  if (wait > 0) throw tooManyAttempts(wait);
  const release = rules.passwordChecks.enter();
  limits.begin(input.email, address);
  let user: U | null;
  let ok: boolean;
  try {
    user = rules.lookup(input.email);
    // Unknown accounts cost the same scrypt as known ones, so timing does not reveal which exist.
    ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyDummy(input.password);
  } finally {
    release();
  }
  if (!user || !ok) {
    rules.failed(user, user ? 'wrong_password' : 'unknown_account');
    throw new HttpError(401, 'unauthenticated', WRONG_CREDENTIALS);
  }
  const refusal = rules.refusal(user);
  if (refusal) {
    rules.failed(user, refusal.reason);
    throw refusal.error;
  }
  if (twoFactor.enabled(user.id)) {
    if (input.totp === undefined) {
      limits.refund(input.email, address);
      throw new HttpError(401, 'totp_required', 'Enter the code of your authenticator app (or a recovery code).');
    }
    const factor = twoFactor.check(user.id, input.totp);
    if (factor === 'invalid') {
      // The attempt's charge stays: wrong codes count like wrong passwords.
      rules.failed(user, 'totp_invalid');
      throw new HttpError(401, 'totp_invalid', 'The code is wrong or was used already. Wait for the next code and try again.');
    }
    if (factor === 'recovery_code') rules.recoveryCodeUsed(user);
  }
  limits.succeeded(input.email, address);
  return user;
}
