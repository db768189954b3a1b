import { z } from 'zod';
import { ageRecipientSchema } from './schemas/keys';
import { CASE_STATUSES } from './schemas/cases';
import { IPC_ERROR_CODES, type IpcChannel, type IpcErrorCode } from './ipc-channels';

export { IPC_CHANNELS, IPC_ERROR_CODES, isIpcChannel, type IpcChannel, type IpcErrorCode } from './ipc-channels';

// The desktop app's IPC surface: every channel the preload may invoke, named `Service:method`,
// with a schema for its one argument and its result. The main process parses arguments with these
// before use and results before they leave it; the preload refuses any channel not listed here.
// The approver identity never crosses, nor does any share: only public keys and a case id do.

const caseIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'Expected a case id.');

const keychainStatusResult = z.strictObject({ enrolled: z.boolean(), publicKey: ageRecipientSchema.nullable() });
const noArgs = z.undefined();

/** Every IPC channel with the schema of its argument and of its result. */
export const IPC = {
  /** Whether the signed-in user has an approver identity in this computer's keychain for this server (the main process asks the server who and which installation). */
  'Keychain:status': { args: noArgs, result: keychainStatusResult },
  /** Creates (or keeps) the signed-in user's approver identity and registers its public key with the server (POST /api/approvers/enrolment, from the main process). */
  'Keychain:enroll': { args: noArgs, result: z.strictObject({ publicKey: ageRecipientSchema, created: z.boolean() }) },
  /**
   * Approves a case: the main process fetches the case and its key from the server itself, shows
   * them in a native confirmation and only then re-wraps this user's shares. The page names the
   * case and nothing else (no key, no share: any other field is refused).
   */
  'Cases:approve': {
    args: z.strictObject({ caseId: caseIdSchema }),
    result: z.strictObject({ submitted: z.number().int().min(0).max(100), status: z.enum(CASE_STATUSES) }),
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
  /** The console's language, so the desktop app's own dialogs and menu speak it too. */
  'App:setLocale': {
    args: z.strictObject({ locale: z.enum(['de', 'en']) }),
    result: z.strictObject({ locale: z.enum(['de', 'en']) }),
  },
} as const satisfies Record<IpcChannel, { args: z.ZodType; result: z.ZodType }>;

export type IpcArgs<C extends IpcChannel> = z.input<(typeof IPC)[C]['args']>;
export type IpcResult<C extends IpcChannel> = z.output<(typeof IPC)[C]['result']>;


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
    /** For the signed-in user and this server. */
    status(): Promise<KeychainStatus>;
    /** Creates (or keeps) the identity and registers its public key; the identity stays in the OS keychain. */
    enroll(): Promise<{ publicKey: string; created: boolean }>;
  };
  readonly cases: {
    /** Shows the case in a native confirmation and approves it with this computer's keychain. */
    approve(caseId: string): Promise<IpcResult<'Cases:approve'>>;
  };
  readonly app: {
    version(): Promise<AppVersion>;
    /** Opens an https link in the system browser; resolves false when the link was refused. */
    openExternal(url: string): Promise<boolean>;
    /** Tells the desktop app the console's language (its dialogs and menu follow). */
    setLocale(locale: 'de' | 'en'): Promise<void>;
  };
}
