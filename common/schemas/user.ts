import { z } from 'zod';
import { keyed } from './checks';
import { ROLES, type Role } from '../roles';

/** A staff e-mail address, trimmed and lower-cased so that each person has one account. */
export const emailSchema = z.string().trim().toLowerCase().max(254, 'E-mail addresses are at most 254 characters.').pipe(z.email('Enter a valid e-mail address.'));

/** Password rules for new or changed passwords. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `Passwords need at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`);

const nameSchema = z.string().trim().min(1, 'A name is required.').max(200, 'Names are at most 200 characters.');
const rolesSchema = z
  .array(z.enum(ROLES))
  .min(1, 'Give the account at least one role.')
  .max(ROLES.length)
  .transform((roles) => [...new Set(roles)]);

/** POST /api/session. Lengths are capped but not checked further, so every wrong login looks alike. */
export const loginSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1, 'Enter your e-mail address.').max(254),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX),
  /** The current TOTP code, or one of the recovery codes, when the account has two-factor sign-in on. */
  totp: z.string().trim().min(1, 'Enter the code.').max(64).optional(),
});
export type LoginInput = z.infer<typeof loginSchema>;

/** POST /api/setup: the first admin account. */
export const setupSchema = z.strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema });
export type SetupInput = z.infer<typeof setupSchema>;

/** POST /api/users. */
export const userCreateSchema = z.strictObject({ email: emailSchema, name: nameSchema, password: passwordSchema, roles: rolesSchema });
export type UserCreate = z.infer<typeof userCreateSchema>;

/** PATCH /api/users/:id — any subset, at least one field. */
export const userPatchSchema = z
  .strictObject({ name: nameSchema.optional(), roles: rolesSchema.optional(), disabled: z.boolean().optional(), password: passwordSchema.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), keyed('atLeastOne', 'Send at least one field to change.'));
export type UserPatch = z.infer<typeof userPatchSchema>;

/** The signed-in user (POST /api/session, GET /api/me). */
export interface Me {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

/** The two-factor state of the signed-in user (GET /api/me, POST /api/session). */
export interface TotpStatus {
  enabled: boolean;
  /** Their role (or the setting for everyone) requires it; while required and not enabled, only enrolment is allowed. */
  required: boolean;
  recoveryCodesLeft: number;
}

/** GET /api/me: the user and their two-factor state. */
export interface MeWithTotp extends Me {
  totp: TotpStatus;
}

/** POST /api/me/totp/confirm {code}. */
export const totpConfirmSchema = z.strictObject({ code: z.string().trim().min(1, 'Enter the code.').max(64) });

/** DELETE /api/me/totp: the current code (or a recovery code) or the password. */
export const totpDisableSchema = z
  .strictObject({ code: z.string().trim().min(1).max(64).optional(), password: z.string().min(1).max(PASSWORD_MAX).optional() })
  .refine((v) => v.code !== undefined || v.password !== undefined, keyed('codeOrPassword', 'Send the current code or your password.'));

/** POST /api/me/totp: the secret to put into an authenticator app (not active until confirmed). */
export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/** GET/PUT /api/settings/security. */
export const securitySettingsSchema = z.strictObject({ totpRequiredForAll: z.boolean() });
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

/** A staff account as listed by GET /api/users. */
export interface User extends Me {
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/setup. */
export interface SetupStatus {
  /** No account exists yet: the console shows its first-run screen. */
  needsSetup: boolean;
  /** The request came from this machine, where setup is allowed. */
  canSetupHere: boolean;
}
