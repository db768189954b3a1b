import type { IncomingMessage, ServerResponse } from 'node:http';
import { PORTAL_COOKIE } from '../../common/portal-access';
import { CookieSessions } from '../auth/cookie-sessions';
import { PORTAL_SESSIONS } from '../auth/session-repo';
import type { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { Db } from '../store/database';
import type { PortalSession, PortalSessionResolver } from './portal-route';
import type { PortalUserRepo } from './portal-user-repo';

/**
 * Customer users' sessions on the portal listener (cookie `psid`, same limits and storage rules as
 * staff sessions). A session only lives while its user exists and is enabled and its customer
 * exists and is not restricted: disabling, removing, a deletion request and erasure end it at once.
 */
export class PortalSessionManager implements PortalSessionResolver {
  private readonly sessions: CookieSessions;

  constructor(db: Db, private readonly users: PortalUserRepo, private readonly customers: CustomerPrivacyRepo, now: () => Date, tls: boolean) {
    this.sessions = new CookieSessions(db, PORTAL_SESSIONS, PORTAL_COOKIE, now, tls);
  }

  /** Starts a session; returns the Set-Cookie value. */
  create(userId: string): string {
    return this.sessions.create(userId);
  }

  clearCookie(): string {
    return this.sessions.clearCookie();
  }

  resolve(req: IncomingMessage, _res?: ServerResponse): PortalSession | null {
    return this.sessions.live(req, (userId) => {
      const user = this.users.get(userId);
      if (!user || user.disabled) return null;
      if (this.customers.nameAndStatus(user.customerId)?.status !== 'active') return null;
      return { userId: user.id, customerId: user.customerId, email: user.email };
    });
  }

  end(req: IncomingMessage): void {
    this.sessions.end(req);
  }

  /** Ends every session of a user, except the one making `keep` when given. */
  endAllFor(userId: string, keep?: IncomingMessage): number {
    return this.sessions.endAllFor(userId, keep);
  }

  purge(): number {
    return this.sessions.purge();
  }
}
