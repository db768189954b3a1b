import type { IncomingMessage } from 'node:http';
import { contactSubmissionSchema } from '../../common/schemas/requests';
import type { AppContext } from '../app-context';
import { parseWith } from '../http/body';
import { createClientIpResolver } from '../http/client-ip';
import { tooManyRequests } from '../http/http-error';
import { PrefixRateLimiter } from './rate-limiter';
import type { RequestRepo } from './request-repo';

/** Submissions allowed per client prefix (IPv4 /24, IPv6 /48) and window. */
export const CONTACT_RATE = { limit: 5, windowMs: 10 * 60_000 };

/**
 * Takes one contact or data-subject request from the public: counts it against the rate limit,
 * reads its fields with `read` (the caller's transport: JSON or an HTML form), validates them with
 * the contact schema, stores them encrypted and audits the receipt. Throws HttpErrors (429, 400 with
 * field details, or whatever `read` throws); resolves with the new request's id.
 */
export type ContactIntake = (req: IncomingMessage, read: () => Promise<unknown>) => Promise<{ id: string }>;

/**
 * The one code path behind every public contact form (POST /v1/contact on the delivery listener,
 * the HTML form of the portal's public pages): one rate limiter shared by both, one validation, one store.
 */
export function createContactIntake(ctx: AppContext, repo: RequestRepo, customerExists: (id: string) => boolean): ContactIntake {
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  const limiter = new PrefixRateLimiter(CONTACT_RATE.limit, CONTACT_RATE.windowMs, () => ctx.now().getTime());

  return async (req, read) => {
    // Counted before the body is read, so floods of invalid posts are limited as well.
    const wait = limiter.hit(clientIp(req));
    if (wait > 0) {
      req.resume();
      throw tooManyRequests(wait, `Too many messages from your network. Try again in ${Math.ceil(wait / 60)} minutes.`);
    }
    const input = parseWith(contactSubmissionSchema, await read());
    // An unknown customer id is dropped, not refused: the answer must not reveal which ids exist.
    const customerId = input.customerId && customerExists(input.customerId) ? input.customerId : null;
    const kind = input.kind ?? 'contact';
    const id = ctx.db.transaction(() => {
      const newId = repo.create({ kind, name: input.name, email: input.email, message: input.message, customerId }, ctx.now());
      ctx.audit.append({ actor: 'public', action: 'request.receive', target: newId, details: { kind, customerLinked: customerId !== null } });
      return newId;
    })();
    return { id };
  };
}
