import { z } from 'zod';
import { ageRecipientSchema } from './schemas/keys';
import { MAX_WRAPPED_SHARE_BASE64 } from './schemas/cases';
import { emailSchema } from './schemas/user';
import type { IpcChannel } from './ipc-channels';

export { IPC_CHANNELS, isIpcChannel, type IpcChannel } from './ipc-channels';

// The desktop app's IPC surface: every channel the preload may invoke, named `Service:method`,
// with a schema for its one argument and its result. The main process parses arguments with these
// before use and results before they leave it; the preload refuses any channel not listed here.
// The approver identity never crosses: only public keys and shares re-wrapped to a case key do.

const base64 = (max: number) =>
  z
    .string()
    .max(max, 'The share is too large.')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Expected base64.');

/** Which approver identity: the signed-in user's e-mail (the server part is decided by the main process). */
const approverSchema = z.strictObject({ email: emailSchema });

const keychainStatusResult = z.strictObject({ enrolled: z.boolean(), publicKey: ageRecipientSchema.nullable() });
const noArgs = z.undefined();

/** Every IPC channel with the schema of its argument and of its result. */
export const IPC = {
  /** Whether this user has an approver identity in the OS keychain, and its public key. */
  'Keychain:status': { args: approverSchema, result: keychainStatusResult },
  /** Creates (or keeps) the approver identity and returns only its public key, for POST /api/approvers/enrolment. */
  'Keychain:enroll': { args: approverSchema, result: z.strictObject({ publicKey: ageRecipientSchema }) },
  /** Decrypts this user's key share inside the main process and re-encrypts it to the case key. */
  'Keychain:rewrapShare': {
    args: z.strictObject({
      email: emailSchema,
      /** The share as stored on the server: an age file encrypted to this approver, base64. */
      encryptedShare: base64(MAX_WRAPPED_SHARE_BASE64),
      /** The case's ephemeral public key (GET /api/cases/:id → casePublicKey). */
      caseRecipient: ageRecipientSchema,
    }),
    result: z.strictObject({ rewrappedShare: base64(MAX_WRAPPED_SHARE_BASE64) }),
  },
  /** Versions of the desktop app, for the about box and bug reports. */
  'App:version': {
    args: noArgs,
    result: z.strictObject({ app: z.string().max(50), electron: z.string().max(50), platform: z.string().max(50) }),
  },
  /** Opens an https link in the system browser after the main process checked it. */
  'App:openExternal': {
    args: z.strictObject({ url: z.string().max(2048) }),
    result: z.strictObject({ opened: z.boolean() }),
  },
} as const satisfies Record<IpcChannel, { args: z.ZodType; result: z.ZodType }>;

export type IpcArgs<C extends IpcChannel> = z.input<(typeof IPC)[C]['args']>;
export type IpcResult<C extends IpcChannel> = z.output<(typeof IPC)[C]['result']>;

/** Error codes a handler may answer with; each comes with a message a person can act on. */
export const IPC_ERROR_CODES = ['bad_request', 'forbidden', 'not_enrolled', 'keychain_unavailable', 'share_invalid', 'failed'] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/**
 * What every handler answers: never a thrown error (Electron would prefix it with internals),
 * always this envelope, which the preload turns into a resolved value or an Error with the message.
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: { code: IpcErrorCode; message: string } };

export const ipcReplyErrorSchema = z.strictObject({
  ok: z.literal(false),
  error: z.strictObject({ code: z.enum(IPC_ERROR_CODES), message: z.string().max(500) }),
});

export type KeychainStatus = IpcResult<'Keychain:status'>;
export type AppVersion = IpcResult<'App:version'>;

/**
 * `window.engine`, exposed by the desktop app's preload. Absent in a plain browser: there the
 * keychain actions are unavailable and the console points to `creative-engine approver approve`.
 */
export interface EngineApi {
  /** Always true: lets the console tell the desktop app from a browser. */
  readonly desktop: true;
  readonly keychain: {
    status(email: string): Promise<KeychainStatus>;
    /** Returns the public key to register; the identity stays in the OS keychain. */
    enroll(email: string): Promise<{ publicKey: string }>;
    rewrapShare(input: IpcArgs<'Keychain:rewrapShare'>): Promise<{ rewrappedShare: string }>;
  };
  readonly app: {
    version(): Promise<AppVersion>;
    /** Opens an https link in the system browser; resolves false when the link was refused. */
    openExternal(url: string): Promise<boolean>;
  };
}
