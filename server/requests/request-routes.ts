import {
  requestExportQuerySchema,
  requestForwardSchema,
  requestIdSchema,
  requestListQuerySchema,
  requestUpdateSchema,
  type DataRequest,
  type DataRequestDetail,
  type ForwardedRequest,
} from '../../common/schemas/requests';
import { adminRoute } from '../admin/admin-route';
import type { AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { parseWith, readJson } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { retentionPolicy } from '../privacy/privacy-options';
import { forwardNoticeMessage, type Mailer } from '../mail/mailer';
import type { RequestReplyRepo } from './request-reply-repo';
import type { RequestRepo } from './request-repo';

/** Looks up customers for linking and forwarding (implemented over the encrypted customer store). */
export interface CustomerDirectory {
  exists(id: string): boolean;
  contact(id: string): { name: string; email: string; status: string } | null;
  idsByEmail(email: string): string[];
}

/** Where forwarded requests go: the customer's portal users (their addresses for the notice) and the portal's URL. */
export interface PortalInbox {
  /** Decrypted e-mail addresses of the customer's enabled portal users. */
  activeUserEmails(customerId: string): string[];
  /** The portal's public base URL (for the link in the notice); empty when the portal is off. */
  url(): string;
}

/** The admin API of contact and data-subject requests. */
export function registerRequestRoutes(
  ctx: AppContext,
  admin: Router<AdminState>,
  deps: { repo: RequestRepo; replies: RequestReplyRepo; customers: CustomerDirectory; mailer: Mailer | null; portal: PortalInbox },
): void {
  const { repo, replies, customers } = deps;
  const policy = retentionPolicy(ctx.config.privacy);
  const load = (id: string | undefined): DataRequest => {
    const parsed = requestIdSchema.safeParse(id);
    const found = parsed.success ? repo.get(parsed.data) : null;
    if (!found) throw notFound('The request');
    return found;
  };

  adminRoute(admin, 'GET /api/requests', ({ query }) => repo.list(parseWith(requestListQuerySchema, Object.fromEntries(query))));

  adminRoute(admin, 'GET /api/requests/export', ({ query }, session) => {
    const { email } = parseWith(requestExportQuerySchema, Object.fromEntries(query));
    const requests = repo.findBySubmitter(email);
    // Customer accounts with this contact address: their own export is GET /api/customers/ID/export.
    const customerIds = customers.idsByEmail(email);
    ctx.audit.append({ actor: session.userId, action: 'request.export', details: { requests: requests.length, customers: customerIds.length } });
    return { exportedAt: ctx.now().toISOString(), requests, customerIds };
  });

  adminRoute(admin, 'GET /api/requests/:id', ({ params }, session): DataRequestDetail => {
    const request = load(params.id);
    if (request.personalData === 'present') ctx.audit.append({ actor: session.userId, action: 'request.view', target: request.id });
    // The forwarded customer's answers (portal), shown like the request's other personal fields: only while present.
    return { ...request, customerReplies: request.personalData === 'present' ? replies.list(request.id) : [] };
  });

  adminRoute(admin, 'PATCH /api/requests/:id', async ({ req, params }, session) => {
    const current = load(params.id);
    const change = await readJson(req, requestUpdateSchema);
    if (current.status === 'closed') throw new HttpError(409, 'request_closed', 'This request is closed; closed requests cannot be changed.');
    if (change.customerId && !customers.exists(change.customerId)) throw notFound('The customer');
    const now = ctx.now();
    ctx.db.transaction(() => {
      const { status, ...rest } = change;
      repo.update(current.id, { ...rest, status: status === 'closed' ? undefined : status }, now);
      // Field names only: the reply and note texts are personal data.
      ctx.audit.append({
        actor: session.userId,
        action: 'request.update',
        target: current.id,
        details: { fields: Object.keys(change), status: status ?? current.status, kind: change.kind ?? current.kind },
      });
      if (status === 'closed') {
        const days = policy.requestDays[change.kind ?? current.kind];
        const retainUntil = days > 0 ? new Date(now.getTime() + days * 86_400_000) : null;
        const state = repo.close(current.id, now, retainUntil);
        ctx.audit.append({ actor: session.userId, action: 'request.close', target: current.id, details: { personalData: state, retainUntil: retainUntil?.toISOString() ?? null } });
        if (state === 'erased') ctx.audit.append({ actor: session.userId, action: 'request.erase', target: current.id, details: { reason: 'closed' } });
      }
    })();
    return repo.get(current.id);
  });

  /** E-mails each active portal user of the customer that a request awaits them; counts what the mail server took. */
  const notifyPortalUsers = async (customerId: string): Promise<{ sent: number; failed: number }> => {
    const notices = { sent: 0, failed: 0 };
    if (!deps.mailer) return notices;
    const message = forwardNoticeMessage(deps.portal.url(), ctx.config.mail?.from ?? 'Creative Engine');
    for (const to of deps.portal.activeUserEmails(customerId)) {
      try {
        await deps.mailer.send({ to, ...message });
        notices.sent++;
      } catch {
        // The mailer logged the failure (without addresses); the request is in the portal all the same.
        notices.failed++;
      }
    }
    return notices;
  };

  // The portal is the channel: forwarding works without SMTP; with it, the customer's portal users get a notice.
  adminRoute(admin, 'POST /api/requests/:id/forward', async ({ req, params }, session): Promise<ForwardedRequest> => {
    const current = load(params.id);
    const { customerId } = await readJson(req, requestForwardSchema);
    if (current.status === 'closed' || current.personalData !== 'present') throw new HttpError(409, 'request_closed', 'This request is closed; it can no longer be forwarded.');
    const contact = customers.contact(customerId);
    if (!contact) throw notFound('The customer');
    if (contact.status === 'restricted') throw new HttpError(423, 'customer_restricted', 'This customer account is restricted after a deletion request: its portal is locked, so nothing can be forwarded to it.');
    if (!deps.portal.url()) throw new HttpError(503, 'portal_off', 'Forwarded requests are read in the customer portal, which is off (--no-portal). Start the server with the portal to forward requests.');
    ctx.db.transaction(() => {
      repo.markForwarded(current.id, customerId, ctx.now());
      ctx.audit.append({ actor: session.userId, action: 'request.forward', target: current.id, details: { customerId } });
    })();
    const notices = await notifyPortalUsers(customerId);
    if (deps.mailer) ctx.audit.append({ actor: session.userId, action: 'request.notify', target: current.id, details: { customerId, ...notices } });
    return { ...repo.get(current.id)!, notices };
  });
}
