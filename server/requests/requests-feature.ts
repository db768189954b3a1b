import type { Feature } from '../app-context';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import { privacyOf } from '../privacy/privacy-services';
import { registerContactRoute } from './contact-route';
import { createMailer } from '../mail/mailer';
import { RequestRepo } from './request-repo';
import { registerRequestRoutes } from './request-routes';

/** The public contact form (delivery listener) and the requests admin API. Needs the privacy feature first. */
export const requestsFeature: Feature = (ctx, { admin, delivery }) => {
  const { cipher } = privacyOf(ctx.db);
  const repo = new RequestRepo(ctx.db, cipher);
  const customers = new CustomerPrivacyRepo(ctx.db, cipher);
  const smtp = ctx.config.privacy?.smtp;
  const mailer = smtp ? createMailer(smtp, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());
  registerContactRoute(ctx, delivery, repo, (id) => customers.exists(id));
  registerRequestRoutes(ctx, admin, { repo, customers, mailer });
};
