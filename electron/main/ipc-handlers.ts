import type { z } from 'zod';
import { IPC, IPC_CHANNELS, type IpcChannel, type IpcErrorCode, type IpcReply, type IpcResult, type AppVersion } from '../../common/ipc';
import { KeychainError, type ApproverKeychain, type KeychainErrorCode } from '../../node/approver-keychain';
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
  /** Names the server in the keychain account (see main.ts for why it is not the admin URL). */
  keychainServerUrl: string;
  version: AppVersion;
  /** Opens an already checked https link in the system browser; resolves whether it did. */
  openExternal: (url: string) => Promise<boolean>;
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

function fail(code: IpcErrorCode, message: string): { ok: false; error: { code: IpcErrorCode; message: string } } {
  return { ok: false, error: { code, message } };
}

function implementations(deps: IpcHandlerDeps): Implementations {
  const server = deps.keychainServerUrl;
  return {
    'Keychain:status': async ({ email }) => {
      const publicKey = await deps.keychain.publicKey(server, email);
      return { enrolled: publicKey !== null, publicKey };
    },
    'Keychain:enroll': async ({ email }) => {
      const { publicKey, created } = await deps.keychain.enroll(server, email);
      deps.log.info(created ? 'approver identity created in the OS keychain' : 'approver identity already in the OS keychain');
      return { publicKey };
    },
    'Keychain:rewrapShare': async ({ email, encryptedShare, caseRecipient }) => {
      const rewrappedShare = await deps.keychain.rewrapShare(server, email, encryptedShare, caseRecipient);
      deps.log.info('key share re-wrapped to a case key');
      return { rewrappedShare };
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
  };
}
