import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session, SessionResolver } from '../admin/admin-route';
import type { Db } from '../store/database';
import type { UserRepo } from '../users/user-repo';
import { SessionRepo } from './session-repo';
import type { TwoFactor } from './two-factor';

/** A session ends after 2 h without requests, and 12 h after sign-in at the latest. */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** The idle clock is refreshed at most this often, so reads do not each write. */
const TOUCH_INTERVAL_MS = 60 * 1000;
const COOKIE = 'sid';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The session id from the request's cookie header, if it has the right shape. */
export function readSessionCookie(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

/** Creates, resolves and ends staff sessions; the server keeps only SHA-256 of each cookie id. */
export class SessionManager implements SessionResolver {
  private readonly repo: SessionRepo;

  constructor(db: Db, private readonly users: UserRepo, private readonly now: () => Date, private readonly tls: boolean, private readonly twoFactor: TwoFactor) {
    this.repo = new SessionRepo(db);
  }

  /** Starts a session for a user; returns the Set-Cookie value. */
  create(userId: string): string {
    const tokenBytes = randomBytes(32);
    const token = tokenBytes.toString('base64url');
    tokenBytes.fill(0);
    const at = this.now();
    this.repo.insert({ idHash: hashToken(token), userId, at: at.toISOString(), expiresAt: new Date(at.getTime() + SESSION_ABSOLUTE_MS).toISOString() });
    return this.cookie(token);
  }

  /** The Set-Cookie value that removes the cookie from the browser. */
  clearCookie(): string {
    return this.cookie('', 0);
  }

  resolve(req: IncomingMessage, _res: ServerResponse): Session | null {
    const token = readSessionCookie(req);
    if (!token) return null;
    const idHash = hashToken(token);
    const record = this.repo.find(idHash);
    if (!record) return null;
    const user = this.users.get(record.userId);
    const now = this.now().getTime();
    const idleSince = Date.parse(record.lastSeenAt);
    if (!user || user.disabled || now >= Date.parse(record.expiresAt) || now - idleSince >= SESSION_IDLE_MS) {
      this.repo.delete(idHash);
      return null;
    }
    if (now - idleSince >= TOUCH_INTERVAL_MS) this.repo.touch(idHash, new Date(now).toISOString());
    // Read per request, so confirming an enrolment lifts the restriction at once, and a new requirement applies at once.
    return { userId: user.id, email: user.email, name: user.name, roles: user.roles, totpEnrolmentDue: this.twoFactor.enrolmentDue(user.id, user.roles) };
  }

  /** Ends the session named by the request's cookie (logout). */
  end(req: IncomingMessage): void {
    const token = readSessionCookie(req);
    if (token) this.repo.delete(hashToken(token));
  }

  /** Ends every session of a user, except the one making `req` when given (e.g. changing one's own password). */
  endAllFor(userId: string, keep?: IncomingMessage): number {
    const token = keep ? readSessionCookie(keep) : null;
    return this.repo.deleteForUser(userId, token ? hashToken(token) : undefined);
  }

  /** Deletes expired rows; returns how many. */
  purge(): number {
    const now = this.now().getTime();
    return this.repo.purge(new Date(now).toISOString(), new Date(now - SESSION_IDLE_MS).toISOString());
  }

  private cookie(value: string, maxAge?: number): string {
    return `${COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${this.tls ? '; Secure' : ''}`;
  }
}
