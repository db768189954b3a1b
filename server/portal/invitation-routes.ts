import { invitationAcceptSchema, invitationCheckSchema, type InvitationInfo } from '../../common/schemas/portal-account';
import type { AppContext } from '../app-context';
import { hashPassword } from '../auth/password';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { newId } from '../store/new-id';
import { accountRestricted, hashInvitationToken, portalActor, portalMeOf, sameDigest, type PortalAccounts } from './portal-accounts';
import { isOpen, type PortalInvitation } from './portal-invitation-repo';
import { portalRoute, type PortalState } from './portal-route';

/** One answer for every link that cannot be used, so answers reveal nothing about why. */
const invalid = () => new HttpError(404, 'invitation_invalid', 'This invitation link is not valid (any more). Ask the agency for a new one.');

/**
 * POST /portal-api/invitations/check (who the link is for) and /accept (set a password: the account
 * exists and is signed in). Tokens are 32 random bytes; only their SHA-256 is stored and looked up.
 */
export function registerInvitationRoutes(ctx: AppContext, portal: Router<PortalState>, accounts: PortalAccounts): void {
  const { invitations, users, customers, sessions } = accounts;

  /** The open invitation behind a token, or the one 404. */
  const openInvitation = (token: string): PortalInvitation => {
    const tokenHash = hashInvitationToken(token);
    const inv = invitations.findByTokenHash(tokenHash);
    // The lookup is by hash already; comparing the digests again in constant time costs nothing.
    if (!inv || !sameDigest(inv.tokenHash, tokenHash) || !isOpen(inv, ctx.now())) throw invalid();
    return inv;
  };

  portalRoute(portal, 'POST /portal-api/invitations/check', async ({ req }) => {
    const { token } = await readJson(req, invitationCheckSchema);
    const inv = openInvitation(token);
    const customer = customers.nameAndStatus(inv.customerId);
    if (!customer) throw invalid();
    // Said before a password is chosen: accepting would be refused the same way.
    if (customer.status !== 'active') throw accountRestricted();
    const info: InvitationInfo = { customerName: customer.name, email: inv.email, expiresAt: inv.expiresAt };
    return reply(200, info, { 'cache-control': 'no-store' });
  });

  portalRoute(portal, 'POST /portal-api/invitations/accept', async ({ req }) => {
    const input = await readJson(req, invitationAcceptSchema);
    openInvitation(input.token); // before scrypt: only a holder of a valid link costs a hash
    const passwordHash = await hashPassword(input.password);
    const id = newId('portalUser');
    const user = ctx.db
      .transaction(() => {
        // Checked again inside the transaction: the link may have been used or revoked while scrypt ran.
        const inv = openInvitation(input.token);
        const customer = customers.nameAndStatus(inv.customerId);
        if (!customer) throw invalid();
        if (customer.status !== 'active') throw accountRestricted();
        if (users.emailTaken(inv.email)) throw new HttpError(409, 'email_taken', 'This e-mail address already has a portal account.');
        const now = ctx.now();
        if (!invitations.markUsed(inv.id, now)) throw invalid();
        const created = users.insert({ id, customerId: inv.customerId, email: inv.email, passwordHash, at: now.toISOString() });
        users.recordSignIn(id, now.toISOString());
        ctx.audit.append({ actor: portalActor(id), action: 'portal.invitation_accepted', target: inv.id, details: { customerId: inv.customerId, portalUserId: id } });
        return created;
      })
      .immediate();
    sessions.end(req);
    const cookie = sessions.create(user.id);
    ctx.audit.append({ actor: portalActor(user.id), action: 'portal.login', target: user.id, details: { customerId: user.customerId, via: 'invitation' } });
    return reply(201, { user: portalMeOf(accounts, user) }, { 'set-cookie': cookie, 'cache-control': 'no-store' });
  });
}
