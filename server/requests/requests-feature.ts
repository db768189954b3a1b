import type { AppContext, Routers } from '../app-context';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { registerContactRoute } from './contact-route';
import { createMailer, type SmtpSettings } from '../mail/mailer';
import { RequestRepo } from './request-repo';
import { registerRequestRoutes } from './request-routes';

/** The public contact form (delivery listener) and the requests admin API; forwards by `smtp` when configured. */
export function startRequests(ctx: AppContext, { admin, delivery }: Routers, deps: { cipher: FieldCipher; smtp: SmtpSettings | undefined }): void {
  const repo = new RequestRepo(ctx.db, deps.cipher);
  const customers = new CustomerPrivacyRepo(ctx.db, deps.cipher);
  const mailer = deps.smtp ? createMailer(deps.smtp, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());
  registerContactRoute(ctx, delivery, repo, (id) => customers.exists(id));
  registerRequestRoutes(ctx, admin, { repo, customers, mailer });
}
