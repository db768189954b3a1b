import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Db } from '../store/database';
import { SessionRepo, type SessionTable } from './session-repo';

/** A session ends after 2 h without requests, and 12 h after sign-in at the latest (staff and portal alike). */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** The idle clock is refreshed at most this often, so reads do not each write. */
const TOUCH_INTERVAL_MS = 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The session id in the request's cookie `name`, if it has the right shape. */
export function readSessionCookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    if (TOKEN_PATTERN.test(value)) return value;
  }
  return null;
}

/**
 * Cookie sessions of one kind of account (staff `sid`, portal `psid`): a random 32-byte id in an
 * HttpOnly, SameSite=Strict cookie (Secure under TLS), only its SHA-256 stored, idle and absolute
 * limits. The owner decides per request whether the account may still use it (`live`).
 */
export class CookieSessions {
  private readonly repo: SessionRepo;

  constructor(db: Db, table: SessionTable, private readonly cookieName: string, private readonly now: () => Date, private readonly tls: boolean) {
    this.repo = new SessionRepo(db, table);
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

  /**
   * The request's live session as `load` sees its user: null (and the session deleted) when there is
   * none, it expired or went idle, or `load` returns null (account gone, disabled, locked).
   */
  live<T>(req: IncomingMessage, load: (userId: string) => T | null): T | null {
    const token = readSessionCookie(req, this.cookieName);
    if (!token) return null;
    const idHash = hashToken(token);
    const record = this.repo.find(idHash);
    if (!record) return null;
    const now = this.now().getTime();
    const idleSince = Date.parse(record.lastSeenAt);
    const value = now >= Date.parse(record.expiresAt) || now - idleSince >= SESSION_IDLE_MS ? null : load(record.userId);
    if (value === null) {
      this.repo.delete(idHash);
      return null;
    }
    if (now - idleSince >= TOUCH_INTERVAL_MS) this.repo.touch(idHash, new Date(now).toISOString());
    return value;
  }

  /** Ends the session named by the request's cookie (sign-out). */
  end(req: IncomingMessage): void {
    const token = readSessionCookie(req, this.cookieName);
    if (token) this.repo.delete(hashToken(token));
  }

  /** Ends every session of a user, except the one making `keep` when given (e.g. changing one's own password). */
  endAllFor(userId: string, keep?: IncomingMessage): number {
    const token = keep ? readSessionCookie(keep, this.cookieName) : null;
    return this.repo.deleteForUser(userId, token ? hashToken(token) : undefined);
  }

  /** Deletes expired rows; returns how many. */
  purge(): number {
    const now = this.now().getTime();
    return this.repo.purge(new Date(now).toISOString(), new Date(now - SESSION_IDLE_MS).toISOString());
  }

  private cookie(value: string, maxAge?: number): string {
    return `${this.cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${this.tls ? '; Secure' : ''}`;
  }
}
