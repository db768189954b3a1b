import { randomBytes } from 'node:crypto';
import { isId } from '../../common/schemas/ids';
import { portalInvitationCreateSchema, portalUserPatchSchema, type PortalInvitationCreated, type PortalUserList } from '../../common/schemas/portal-account';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { Mailer } from '../mail/mailer';
import { newId } from '../store/new-id';
import { invitationMessage } from './invitation-mail';
import { hashInvitationToken, type PortalAccounts } from './portal-accounts';

/** An invitation link works for 7 days, once. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Staff side of the portal accounts: invite a person to a customer's portal (the link is e-mailed
 * when SMTP is configured, and always answered once for the console to show), list a customer's
 * portal users and open invitations, disable, remove, revoke. Every change is audited (ids, never
 * e-mails).
 */
export function registerPortalAdminRoutes(ctx: AppContext, admin: Router<AdminState>, accounts: PortalAccounts, mailer: Mailer | null): void {
  const { users, invitations, customers, sessions, twoFactor } = accounts;
  const customerOf = (id: string | undefined) => {
    const customer = isId('customer', id) ? customers.nameAndStatus(id) : null;
    if (!customer) throw notFound('The customer');
    return { id: id as string, ...customer };
  };
  const portalUserOf = (id: string | undefined) => {
    const user = isId('portalUser', id) ? users.get(id) : null;
    if (!user) throw notFound('The portal user');
    return user;
  };

  adminRoute(admin, 'POST /api/customers/:id/portal-invitations', async ({ req, params }, session) => {
    const customer = customerOf(params.id);
    const { email } = await readJson(req, portalInvitationCreateSchema);
    if (customer.status !== 'active') throw new HttpError(409, 'customer_restricted', 'This customer is restricted after a deletion request; nobody can be invited to its portal.');
    if (users.emailTaken(email)) throw new HttpError(409, 'email_taken', 'This e-mail address already has a portal account.');
    const base = ctx.portalBaseUrl();
    if (!base) throw new HttpError(409, 'portal_off', 'The portal is turned off (--no-portal); invitations need it.');
    const tokenBytes = randomBytes(32);
    const token = tokenBytes.toString('base64url');
    tokenBytes.fill(0);
    const id = newId('portalInvitation');
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
    // The token rides in the fragment: browsers send it to no server, so it stays out of logs and referrers.
    const invitationUrl = `${base}/#/invite/${token}`;
    ctx.db
      .transaction(() => {
        invitations.insert({ id, customerId: customer.id, email, tokenHash: hashInvitationToken(token), expiresAt, createdBy: session.userId, at: now.toISOString() });
        ctx.audit.append({ actor: session.userId, action: 'portal.invitation_created', target: id, details: { customerId: customer.id, expiresAt } });
      })
      .immediate();
    let emailed = false;
    if (mailer) {
      try {
        await mailer.send({ to: email, ...invitationMessage({ url: invitationUrl, expiresAt }, customer) });
        emailed = true;
      } catch (err) {
        // The invitation stands: the console shows the link to pass on instead (the mailer logged the failure, without addresses).
        if (!(err instanceof HttpError)) throw err;
      }
      ctx.audit.append({ actor: session.userId, action: emailed ? 'portal.invitation_emailed' : 'portal.invitation_email_failed', target: id });
    }
    const body: PortalInvitationCreated = { id, invitationUrl, expiresAt, emailed };
    return reply(201, body, { 'cache-control': 'no-store' });
  });

  adminRoute(admin, 'GET /api/customers/:id/portal-users', ({ params }): PortalUserList => {
    const customer = customerOf(params.id);
    return {
      users: users.listForCustomer(customer.id).map((u) => ({
        id: u.id,
        email: u.email,
        disabled: u.disabled,
        createdAt: u.createdAt,
        lastSignInAt: u.lastSignInAt,
        totpEnabled: twoFactor.enabled(u.id),
      })),
      invitations: invitations.openForCustomer(customer.id, ctx.now()).map((i) => ({ id: i.id, email: i.email, expiresAt: i.expiresAt, createdAt: i.createdAt })),
    };
  });

  adminRoute(admin, 'PATCH /api/portal-users/:id', async ({ req, params }, session) => {
    const user = portalUserOf(params.id);
    const { disabled } = await readJson(req, portalUserPatchSchema);
    ctx.db
      .transaction(() => {
        users.setDisabled(user.id, disabled, ctx.now().toISOString());
        const ended = disabled ? sessions.endAllFor(user.id) : 0;
        ctx.audit.append({ actor: session.userId, action: disabled ? 'portal.user_disabled' : 'portal.user_enabled', target: user.id, details: { customerId: user.customerId, sessionsEnded: ended } });
      })
      .immediate();
    const updated = users.get(user.id)!;
    return { id: updated.id, email: updated.email, disabled: updated.disabled, createdAt: updated.createdAt, lastSignInAt: updated.lastSignInAt, totpEnabled: twoFactor.enabled(updated.id) };
  });

  adminRoute(admin, 'DELETE /api/portal-users/:id', ({ params }, session) => {
    const user = portalUserOf(params.id);
    ctx.db
      .transaction(() => {
        const ended = sessions.endAllFor(user.id);
        users.delete(user.id); // its second factor goes with it (ON DELETE CASCADE)
        ctx.audit.append({ actor: session.userId, action: 'portal.user_removed', target: user.id, details: { customerId: user.customerId, sessionsEnded: ended } });
      })
      .immediate();
    return reply(204);
  });

  adminRoute(admin, 'DELETE /api/portal-invitations/:id', ({ params }, session) => {
    const inv = isId('portalInvitation', params.id) ? invitations.get(params.id) : null;
    if (!inv) throw notFound('The invitation');
    ctx.db
      .transaction(() => {
        if (!invitations.revoke(inv.id, ctx.now())) throw new HttpError(409, 'invitation_used', 'This invitation was used or revoked already.');
        ctx.audit.append({ actor: session.userId, action: 'portal.invitation_revoked', target: inv.id, details: { customerId: inv.customerId } });
      })
      .immediate();
    return reply(204);
  });
}
