import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session, SessionResolver } from '../admin/admin-route';
import type { Db } from '../store/database';
import type { UserRepo } from '../users/user-repo';
import { CookieSessions } from './cookie-sessions';
import { STAFF_SESSIONS } from './session-repo';
import type { TwoFactor } from './two-factor';

/** Creates, resolves and ends staff sessions (cookie `sid`); the server keeps only SHA-256 of each cookie id. */
export class SessionManager implements SessionResolver {
  private readonly sessions: CookieSessions;

  constructor(db: Db, private readonly users: UserRepo, now: () => Date, tls: boolean, private readonly twoFactor: TwoFactor) {
    this.sessions = new CookieSessions(db, STAFF_SESSIONS, 'sid', now, tls);
  }

  /** Starts a session for a user; returns the Set-Cookie value. */
  create(userId: string): string {
    return this.sessions.create(userId);
  }

  /** The Set-Cookie value that removes the cookie from the browser. */
  clearCookie(): string {
    return this.sessions.clearCookie();
  }

  resolve(req: IncomingMessage, _res: ServerResponse): Session | null {
    return this.sessions.live(req, (userId) => {
      const user = this.users.get(userId);
      if (!user || user.disabled) return null;
      // Read per request, so confirming an enrolment lifts the restriction at once, and a new requirement applies at once.
      return { userId: user.id, email: user.email, name: user.name, roles: user.roles, totpEnrolmentDue: this.twoFactor.enrolmentDue(user.id, user.roles) };
    });
  }

  /** Ends the session named by the request's cookie (logout). */
  end(req: IncomingMessage): void {
    this.sessions.end(req);
  }

  /** Ends every session of a user, except the one making `keep` when given (e.g. changing one's own password). */
  endAllFor(userId: string, keep?: IncomingMessage): number {
    return this.sessions.endAllFor(userId, keep);
  }

  /** Deletes expired rows; returns how many. */
  purge(): number {
    return this.sessions.purge();
  }
}
