import type { AppContext, Routers } from '../app-context';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { createContactIntake, type ContactIntake } from './contact-intake';
import { registerContactRoute } from './contact-route';
import { createMailer, type SmtpSettings } from '../mail/mailer';
import { RequestRepo } from './request-repo';
import { registerRequestRoutes } from './request-routes';

/** What other features use of the requests: the public contact intake (the portal's HTML form posts to it). */
export interface RequestsFeature {
  contact: ContactIntake;
}

/**
 * The public contact form (delivery listener) and the requests admin API; forwards by `smtp` when
 * configured. Returns the contact intake, so every public form shares its validation and rate limit.
 */
export function startRequests(ctx: AppContext, { admin, delivery }: Routers, deps: { cipher: FieldCipher; smtp: SmtpSettings | undefined }): RequestsFeature {
  const repo = new RequestRepo(ctx.db, deps.cipher);
  const customers = new CustomerPrivacyRepo(ctx.db, deps.cipher);
  const mailer = deps.smtp ? createMailer(deps.smtp, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());
  const contact = createContactIntake(ctx, repo, (id) => customers.exists(id));
  registerContactRoute(delivery, contact);
  registerRequestRoutes(ctx, admin, { repo, customers, mailer });
  return { contact };
}
