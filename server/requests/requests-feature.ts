import type { AppContext, Routers } from '../app-context';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { createContactIntake, type ContactIntake } from './contact-intake';
import { registerContactRoute } from './contact-route';
import { createMailer, type SmtpSettings } from '../mail/mailer';
import { RequestReplyRepo } from './request-reply-repo';
import { RequestRepo } from './request-repo';
import { registerRequestRoutes, type PortalInbox } from './request-routes';

/** What other features use of the requests: the public contact intake (the portal's HTML form posts to it). */
export interface RequestsFeature {
  contact: ContactIntake;
}

/**
 * The public contact form (delivery listener) and the requests admin API. Forwarded requests go to
 * the customer's portal (`portal`); with `smtp` configured its portal users get a notice by e-mail.
 * Returns the contact intake, so every public form shares its validation and rate limit.
 */
export function startRequests(
  ctx: AppContext,
  { admin, delivery }: Routers,
  deps: { cipher: FieldCipher; smtp: SmtpSettings | undefined; portal: PortalInbox },
): RequestsFeature {
  const repo = new RequestRepo(ctx.db, deps.cipher);
  const customers = new CustomerPrivacyRepo(ctx.db, deps.cipher);
  const mailer = deps.smtp ? createMailer(deps.smtp, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());
  const contact = createContactIntake(ctx, repo, (id) => customers.exists(id));
  registerContactRoute(delivery, contact);
  registerRequestRoutes(ctx, admin, { repo, replies: new RequestReplyRepo(ctx.db, deps.cipher), customers, mailer, portal: deps.portal });
  return { contact };
}
