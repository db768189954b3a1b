import { z } from 'zod';
import { CONTACT_BODY_LIMIT } from '../../common/schemas/requests';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { ContactIntake } from './contact-intake';

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

/** POST /v1/contact (and its CORS preflight) on the delivery listener; `intake` is shared with the portal's HTML form. */
export function registerContactRoute(delivery: Router<unknown>, intake: ContactIntake): void {
  delivery.on('OPTIONS', '/v1/contact', () => reply(204, undefined, CORS));

  delivery.post('/v1/contact', async ({ req }) => {
    try {
      // The body is validated by the intake (the same schema the HTML form goes through).
      const { id } = await intake(req, () => readJson(req, z.unknown(), CONTACT_BODY_LIMIT));
      return reply(202, { id }, CORS);
    } catch (err) {
      if (err instanceof HttpError) throw new HttpError(err.status, err.code, err.message, err.details, { ...err.headers, ...CORS }, err.params);
      throw err;
    }
  });
}
