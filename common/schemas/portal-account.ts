import { z } from 'zod';
import { PASSWORD_MAX, emailSchema, passwordSchema } from './user';

/** An invitation link's token: 32 random bytes, base64url (the part after `#/invite/`). */
const tokenSchema = z.string().trim().min(1, 'The invitation link is incomplete.').max(128);

/** POST /portal-api/invitations/check. */
export const invitationCheckSchema = z.strictObject({ token: tokenSchema });

/** POST /portal-api/invitations/check → the invitation an open link stands for. */
export interface InvitationInfo {
  customerName: string;
  email: string;
  expiresAt: string;
}

/** POST /portal-api/invitations/accept: the password rules are the staff's. */
export const invitationAcceptSchema = z.strictObject({ token: tokenSchema, password: passwordSchema });

/** The signed-in customer user (GET /portal-api/me; POST /portal-api/session and invitations/accept answer it too). */
export interface PortalMe {
  id: string;
  email: string;
  customerId: string;
  customerName: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
}

/** PUT /portal-api/me/password. */
export const portalPasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1, 'Enter your current password.').max(PASSWORD_MAX),
  newPassword: passwordSchema,
});

/** GET /portal-api/me/totp: customer users may turn it on, never must. */
export interface PortalTotpStatus {
  enabled: boolean;
  recoveryCodesLeft: number;
}

/** POST /api/customers/:id/portal-invitations. */
export const portalInvitationCreateSchema = z.strictObject({ email: emailSchema });

/** POST /api/customers/:id/portal-invitations → the link (shown once; only its hash is stored). */
export interface PortalInvitationCreated {
  id: string;
  invitationUrl: string;
  expiresAt: string;
  /** Sent by e-mail (SMTP configured); otherwise the console shows the link to pass on. */
  emailed: boolean;
}

/** A customer's portal user as staff see it. */
export interface PortalUserSummary {
  id: string;
  email: string;
  disabled: boolean;
  createdAt: string;
  lastSignInAt: string | null;
  totpEnabled: boolean;
}

/** An open (unused, unrevoked, unexpired) invitation. */
export interface PortalInvitationSummary {
  id: string;
  email: string;
  expiresAt: string;
  createdAt: string;
}

/** GET /api/customers/:id/portal-users. */
export interface PortalUserList {
  users: PortalUserSummary[];
  invitations: PortalInvitationSummary[];
}

/** PATCH /api/portal-users/:id. */
export const portalUserPatchSchema = z.strictObject({ disabled: z.boolean() });
