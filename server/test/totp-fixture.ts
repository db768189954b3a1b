/**
 * Two-factor sign-in for tests: codes of a secret at a moment, and a registry of the accounts the
 * fixtures enrolled (secret, the server's clock, the last step used) so sign-in helpers can send a
 * code the server has not accepted yet. The server refuses a step it accepted before (replay
 * protection) and accepts one step either side of now, so up to three sign-ins fit one 30-second
 * step; after that the helpers wait for the next step (real clock) or throw (a frozen test clock).
 */
import { TOTP_DRIFT_STEPS, TOTP_STEP_SECONDS, totpCode, totpStepAt } from '../auth/totp';

/** An account enrolled by a fixture. */
interface Enrolled {
  secret: string;
  /** The server's clock (a test's controllable clock, or the real one). */
  now: () => Date;
  lastStep: number | null;
}

const enrolled = new Map<string, Enrolled>();
const realNow = () => new Date();

/** The TOTP code of a base32 secret at a moment (default now). */
export function totpCodeFor(secret: string, at: Date = new Date()): string {
  return totpCode(secret, totpStepAt(at.getTime()));
}

/**
 * The code of the earliest step the server still accepts (inside the ±1 window, after `lastStep`),
 * waiting for the next step when the window is used up; returns it with its step.
 */
export async function waitForFreshTotpCode(secret: string, lastStep: number | null, now: () => Date = realNow): Promise<{ code: string; step: number }> {
  for (;;) {
    const current = totpStepAt(now().getTime());
    for (let step = current - TOTP_DRIFT_STEPS; step <= current + TOTP_DRIFT_STEPS; step++) {
      if (lastStep === null || step > lastStep) return { code: totpCode(secret, step), step };
    }
    const before = now().getTime();
    const wait = (current + 1) * TOTP_STEP_SECONDS * 1000 - Date.now() + 50;
    await new Promise((r) => setTimeout(r, Math.max(50, Math.min(wait, TOTP_STEP_SECONDS * 1000))));
    if (now().getTime() === before) throw new Error('Every TOTP step near the test clock was used; move the clock on before signing in again.');
  }
}

/** Remembers an account a fixture enrolled (keyed by e-mail; a later enrolment of the same address replaces it). */
export function rememberTotp(email: string, secret: string, step: number, now: () => Date = realNow): void {
  enrolled.set(email.trim().toLowerCase(), { secret, now, lastStep: step });
}

/** Forgets an account (its second factor was switched off or reset). */
export function forgetTotp(email: string): void {
  enrolled.delete(email.trim().toLowerCase());
}

/** The secret a fixture enrolled for this address, if any. */
export function totpSecretOf(email: string): string | undefined {
  return enrolled.get(email.trim().toLowerCase())?.secret;
}

/** A fresh code for an account the fixtures enrolled (marked used), or undefined for one without TOTP. */
export async function nextTotpCodeFor(email: string): Promise<string | undefined> {
  const entry = enrolled.get(email.trim().toLowerCase());
  if (!entry) return undefined;
  const { code, step } = await waitForFreshTotpCode(entry.secret, entry.lastStep, entry.now);
  entry.lastStep = step;
  return code;
}

/** Something that can POST JSON with a session (the fixtures' clients). */
export type PostJson = (path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

/** Enrols the signed-in user over HTTP (POST /api/me/totp, then confirm); registers and returns the secret and recovery codes. */
export async function enrolTotpOverHttp(post: PostJson, email: string, now: () => Date = realNow): Promise<{ secret: string; recoveryCodes: string[] }> {
  const start = await post('/api/me/totp');
  if (start.status !== 201) throw new Error(`TOTP enrolment of ${email} failed: ${start.status} ${JSON.stringify(start.body)}`);
  const { secret } = start.body as { secret: string };
  const { code, step } = await waitForFreshTotpCode(secret, null, now);
  const confirm = await post('/api/me/totp/confirm', { code });
  if (confirm.status !== 200) throw new Error(`TOTP confirmation of ${email} failed: ${confirm.status} ${JSON.stringify(confirm.body)}`);
  rememberTotp(email, secret, step, now);
  return { secret, recoveryCodes: (confirm.body as { recoveryCodes: string[] }).recoveryCodes };
}
