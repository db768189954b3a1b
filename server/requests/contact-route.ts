import { CONTACT_BODY_LIMIT, contactSubmissionSchema } from '../../common/schemas/requests';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { createClientIpResolver } from '../http/client-ip';
import { HttpError, tooManyRequests } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { PrefixRateLimiter } from './rate-limiter';
import type { RequestRepo } from './request-repo';

/** Submissions allowed per client prefix (IPv4 /24, IPv6 /48) and window. */
export const CONTACT_RATE = { limit: 5, windowMs: 10 * 60_000 };

/**
 * The form posts JSON from publishers' and the agency's own pages, without cookies: any origin may
 * send it, and nothing it answers is secret. Errors carry the headers too, so the page can show them.
 */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
  'access-control-max-age': '600',
  'cache-control': 'no-store',
};

/** POST /v1/contact (and its CORS preflight) on the delivery listener. */
export function registerContactRoute(
  ctx: AppContext,
  delivery: Router<unknown>,
  repo: RequestRepo,
  customerExists: (id: string) => boolean,
): void {
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  const limiter = new PrefixRateLimiter(CONTACT_RATE.limit, CONTACT_RATE.windowMs, () => ctx.now().getTime());

  delivery.on('OPTIONS', '/v1/contact', () => reply(204, undefined, CORS));

  delivery.post('/v1/contact', async ({ req }) => {
    try {
      // Counted before the body is read, so floods of invalid posts are limited as well.
      const wait = limiter.hit(clientIp(req));
      if (wait > 0) {
        req.resume();
        throw tooManyRequests(wait, `Too many messages from your network. Try again in ${Math.ceil(wait / 60)} minutes.`);
      }
      const input = await readJson(req, contactSubmissionSchema, CONTACT_BODY_LIMIT);
      // An unknown customer id is dropped, not refused: the answer must not reveal which ids exist.
      const customerId = input.customerId && customerExists(input.customerId) ? input.customerId : null;
      const kind = input.kind ?? 'contact';
      const id = ctx.db.transaction(() => {
        const newId = repo.create({ kind, name: input.name, email: input.email, message: input.message, customerId }, ctx.now());
        ctx.audit.append({ actor: 'public', action: 'request.receive', target: newId, details: { kind, customerLinked: customerId !== null } });
        return newId;
      })();
      return reply(202, { id }, CORS);
    } catch (err) {
      if (err instanceof HttpError) throw new HttpError(err.status, err.code, err.message, err.details, { ...err.headers, ...CORS }, err.params);
      throw err;
    }
  });
}
