import { HttpError } from '../http/http-error';

/** scrypt holds 32 MiB while it runs; more password checks at once than this wait for the next try. */
export const MAX_PARALLEL_PASSWORD_CHECKS = 8;

/**
 * Caps the sign-ins checking a password at the same time, staff and customer portal together (one
 * instance for the whole server), so a burst of sign-ins on both listeners cannot add up memory.
 */
export class PasswordCheckGate {
  private inFlight = 0;

  constructor(private readonly max = MAX_PARALLEL_PASSWORD_CHECKS) {}

  /** Takes a slot or answers 503 (Retry-After 1); call the returned function when the check is done. */
  enter(): () => void {
    if (this.inFlight >= this.max) {
      throw new HttpError(503, 'unavailable', 'The server is busy with other sign-ins. Try again in a moment.', undefined, { 'retry-after': '1' });
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (!released) this.inFlight--;
      released = true;
    };
  }
}
