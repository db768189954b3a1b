import { listQuerySchema } from '../../common/schemas/paging';
import { portalRequestPatchSchema, requestReplySchema, type PortalRequestDetail } from '../../common/schemas/portal';
import { requestIdSchema } from '../../common/schemas/requests';
import type { AppContext } from '../app-context';
import { parseWith, readJson } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { FieldCipher } from '../privacy/field-cipher';
import { RequestReplyRepo } from '../requests/request-reply-repo';
import { RequestRepo } from '../requests/request-repo';
import { portalActor } from './portal-account-routes';
import { portalRoute, type PortalState } from './portal-route';

/**
 * The requests inbox of the portal: the requests staff forwarded to this customer, readable (the
 * data subject's name, e-mail and message, decrypted only here) and answerable; replies are stored
 * encrypted and reach the staff view (GET /api/requests/ID → customerReplies). Deadlines are the
 * request's own; a closed request can no longer be answered.
 */
export function registerPortalRequestRoutes(ctx: AppContext, portal: Router<PortalState>, deps: { cipher: FieldCipher }): void {
  const requests = new RequestRepo(ctx.db, deps.cipher);
  const replies = new RequestReplyRepo(ctx.db, deps.cipher);

  /** A request forwarded to this customer; anything else (malformed, missing, another customer's) is 404. */
  const own = (id: string | undefined, customerId: string): PortalRequestDetail => {
    const parsed = requestIdSchema.safeParse(id);
    const found = parsed.success ? requests.getForwarded(parsed.data, customerId) : null;
    if (!found) throw notFound('The request');
    return found;
  };
  const assertAnswerable = (r: PortalRequestDetail) => {
    if (r.agencyStatus === 'closed' || r.personalData !== 'present') throw new HttpError(409, 'request_closed', 'This request is closed; it can no longer be changed or answered.');
  };

  portalRoute(portal, 'GET /portal-api/requests', ({ query }, session) => {
    const { limit, offset } = parseWith(listQuerySchema, Object.fromEntries(query));
    return requests.listForwardedTo(session.customerId, { limit, offset });
  });

  portalRoute(portal, 'GET /portal-api/requests/:id', ({ params }, session) => {
    const request = own(params.id, session.customerId);
    if (request.personalData === 'present') ctx.audit.append({ actor: portalActor(session), action: 'request.view', target: request.id });
    return request;
  });

  portalRoute(portal, 'PATCH /portal-api/requests/:id', async ({ req, params }, session) => {
    const current = own(params.id, session.customerId);
    const { status } = await readJson(req, portalRequestPatchSchema);
    assertAnswerable(current);
    ctx.db.transaction(() => {
      requests.setCustomerStatus(current.id, status, ctx.now());
      ctx.audit.append({ actor: portalActor(session), action: 'request.customer-status', target: current.id, details: { status } });
    })();
    return own(current.id, session.customerId);
  });

  portalRoute(portal, 'GET /portal-api/requests/:id/replies', ({ params }, session) => {
    const request = own(params.id, session.customerId);
    // Like the request's message: readable only while its personal data are present.
    return { items: request.personalData === 'present' ? replies.list(request.id) : [] };
  });

  portalRoute(portal, 'POST /portal-api/requests/:id/replies', async ({ req, params }, session) => {
    const current = own(params.id, session.customerId);
    const { message } = await readJson(req, requestReplySchema);
    assertAnswerable(current);
    const created = ctx.db.transaction(() => {
      const r = replies.add({ requestId: current.id, authorKind: 'customer', authorId: session.userId, message }, ctx.now());
      // The reply's id only: its text is personal data.
      ctx.audit.append({ actor: portalActor(session), action: 'request.reply', target: current.id, details: { replyId: r.id } });
      return r;
    })();
    return reply(201, created);
  });
}
