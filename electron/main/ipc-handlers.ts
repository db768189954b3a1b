import type { z } from 'zod';
import { IPC, IPC_CHANNELS, type IpcChannel, type IpcErrorCode, type IpcReply, type IpcResult, type AppVersion } from '../../common/ipc';
import { isInstallationId } from '../../common/schemas/server-info';
import type { CaseView } from '../../common/schemas/cases';
import type { AdminCall } from '../../node/admin-call';
import { KeychainError, type ApproverAccount, type ApproverKeychain, type KeychainErrorCode } from '../../node/approver-keychain';
import { approveCase, CaseApprovalError } from '../../node/case-approval';
import { checkExternalLink } from './navigation-guard';
import { errorMessage, type MainLogger } from './logger';
import { originOf } from './window-options';

/** The part of an IPC invoke event the handlers look at (Electron's IpcMainInvokeEvent has it). */
export interface IpcSenderEvent {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The part of Electron's `ipcMain` the handlers need; tests pass their own object. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcHandlerDeps {
  /** The console's origin; null while the embedded server is not up (every call is then refused). */
  adminOrigin: () => string | null;
  keychain: ApproverKeychain;
  /** Calls the server as the signed-in console session (the main process fetches what it acts on itself). */
  adminCall: AdminCall;
  /** The connected server's installation id (GET /api/server-info): names the keychain entries. */
  installationId: () => Promise<string>;
  /** Shows the case (the CLI's English summary, and the case itself to word it in the console's language) in a native dialog; resolves whether the approver confirmed. */
  confirmApproval: (summary: string, view: CaseView) => Promise<boolean>;
  /** Server origins an older version filed keychain identities under; moved to the installation id on first use. */
  legacyOrigins: () => string[];
  version: AppVersion;
  /** Opens an already checked https link in the system browser; resolves whether it did. */
  openExternal: (url: string) => Promise<boolean>;
  /** Remembers the console's language for the desktop app's own dialogs and menu. */
  setLocale: (locale: 'de' | 'en') => void;
  log: MainLogger;
}

type ParsedArgs<C extends IpcChannel> = z.output<(typeof IPC)[C]['args']>;
type Implementations = { [C in IpcChannel]: (args: ParsedArgs<C>) => Promise<IpcResult<C>> };

/** Registers a handler for every channel of common/ipc.ts; returns a function removing them again. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcHandlerDeps): () => void {
  const impl = implementations(deps);
  for (const channel of IPC_CHANNELS) {
    const run = impl[channel] as (args: unknown) => Promise<unknown>;
    ipcMain.handle(channel, (event, ...args) => handleCall(channel, event, args, run, deps));
  }
  return () => IPC_CHANNELS.forEach((c) => ipcMain.removeHandler(c));
}

/** Whether an IPC message comes from the console itself: the admin origin's top frame, nothing else. */
export function isTrustedSender(event: IpcSenderEvent, adminOrigin: string | null): boolean {
  const frame = event?.senderFrame;
  if (!frame || adminOrigin === null) return false;
  if (frame.parent !== null && frame.parent !== undefined) return false; // iframes (e.g. HTML creative previews) never talk to main
  return originOf(frame.url) === adminOrigin;
}

async function handleCall<C extends IpcChannel>(
  channel: C,
  event: IpcSenderEvent,
  args: unknown[],
  run: (args: unknown) => Promise<unknown>,
  deps: IpcHandlerDeps,
): Promise<IpcReply<IpcResult<C>>> {
  if (!isTrustedSender(event, deps.adminOrigin())) {
    deps.log.warn('IPC call refused: sender is not the console', { channel });
    return fail('forbidden', 'Only the console window may use the desktop functions.');
  }
  if (args.length > 1) return fail('bad_request', 'Expected a single argument.');
  const parsed = IPC[channel].args.safeParse(args[0]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return fail('bad_request', `${where}${issue?.message ?? 'Invalid argument.'}`);
  }
  let value: unknown;
  try {
    value = await run(parsed.data);
  } catch (err) {
    if (err instanceof KeychainError) {
      deps.log.warn('keychain call failed', { channel, code: err.code });
      return fail(KEYCHAIN_CODES[err.code], err.message);
    }
    if (err instanceof CaseApprovalError) {
      deps.log.info('case not approved', { channel, code: err.code });
      return fail(err.code === 'declined' ? 'declined' : 'case_refused', err.message);
    }
    const status = statusOf(err);
    if (status === 401) return fail('not_signed_in', 'Your session has ended: sign in again.');
    if (status === 403 && channel !== 'Cases:approve') return fail('forbidden', safeServerMessage(err));
    if (status === 403 || status === 404 || status === 409) return fail('case_refused', safeServerMessage(err));
    if (status === 0 || (status !== undefined && status >= 500) || (status === undefined && isNetworkError(err))) {
      deps.log.warn('server call failed', { channel, status: status ?? 0 });
      return fail('server_unavailable', 'The server did not answer; try again in a moment.');
    }
    deps.log.error('IPC handler failed', { channel, error: errorMessage(err) });
    return fail('failed', 'The desktop app could not do this; its log has the details.');
  }
  // Results are checked too, so nothing but the declared fields (never an identity) leaves main.
  const result = IPC[channel].result.safeParse(value);
  if (!result.success) {
    deps.log.error('IPC handler returned an unexpected result', { channel });
    return fail('failed', 'The desktop app could not do this; its log has the details.');
  }
  return { ok: true, value: result.data as IpcResult<C> };
}

const KEYCHAIN_CODES: Record<KeychainErrorCode, IpcErrorCode> = {
  invalid_input: 'bad_request',
  not_enrolled: 'not_enrolled',
  not_a_share: 'share_invalid',
  unavailable: 'keychain_unavailable',
};

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

// An AdminCall that never reached the server throws without a status (fetch's TypeError, a net error code).
function isNetworkError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  return e?.name === 'TypeError' || typeof e?.code === 'string' || typeof e?.cause?.code === 'string';
}

// The server's own one-line message (its API messages are safe to show), bounded.
function safeServerMessage(err: unknown): string {
  const message = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 300) : '';
  return message || 'The server refused this.';
}

function fail(code: IpcErrorCode, message: string): { ok: false; error: { code: IpcErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

function implementations(deps: IpcHandlerDeps): Implementations {
  // Who and where come from the server itself, as the signed-in session sees them; never from the page.
  const account = async (): Promise<ApproverAccount> => {
    const [installationId, me] = await Promise.all([deps.installationId(), deps.adminCall<{ email?: unknown }>('GET', '/api/me')]);
    if (!isInstallationId(installationId)) throw new Error('the server named no valid installation id');
    if (typeof me?.email !== 'string') throw new Error('the server named no signed-in user');
    return { installationId, email: me.email, legacyOrigins: deps.legacyOrigins() };
  };
  return {
    'Keychain:status': async () => {
      const publicKey = await deps.keychain.publicKey(await account());
      return { enrolled: publicKey !== null, publicKey };
    },
    'Keychain:enroll': async () => {
      const who = await account();
      const { publicKey, created } = await deps.keychain.enroll(who);
      try {
        await deps.adminCall('POST', '/api/approvers/enrolment', { publicKey });
      } catch (err) {
        // An identity the server refused would only lie around in the keychain: take it back.
        if (created) await deps.keychain.remove({ installationId: who.installationId, email: who.email }).catch(() => false);
        throw err;
      }
      deps.log.info(created ? 'approver identity created in the OS keychain and registered' : 'approver identity already in the OS keychain; registered again');
      return { publicKey, created };
    },
    'Cases:approve': async ({ caseId }) => {
      const who = await account();
      const { submitted, view } = await approveCase({ adminCall: deps.adminCall, keychain: deps.keychain, ...who, caseId, confirm: deps.confirmApproval });
      deps.log.info(submitted ? 'case approved with the keychain identity' : 'case already approved by this user', { submitted });
      return { submitted, status: view.status };
    },
    'App:version': async () => deps.version,
    'App:openExternal': async ({ url }) => {
      const check = checkExternalLink(url, deps.adminOrigin() ?? '');
      if (!check.ok) {
        deps.log.warn('external link refused', { reason: check.reason });
        return { opened: false };
      }
      return { opened: await deps.openExternal(check.url) };
    },
    'App:setLocale': async ({ locale }) => {
      deps.setLocale(locale);
      return { locale };
    },
  };
}
