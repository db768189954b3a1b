import { isIpcChannel, type IpcChannel } from '../../common/ipc-channels';
import type { EngineApi, IpcArgs, IpcResult } from '../../common/ipc';

/** Sends one IPC request (ipcRenderer.invoke in the preload; anything with the same shape in tests). */
export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/**
 * Builds `window.engine` over `invoke`. Only the channels of common/ipc.ts can be reached, with one
 * argument each; the main process's reply envelope becomes a value or an Error with its safe message.
 * No raw IPC object ever reaches the page.
 */
export function createEngineApi(invoke: Invoke): EngineApi {
  const call = async <C extends IpcChannel>(channel: C, arg?: IpcArgs<C>): Promise<IpcResult<C>> => {
    if (!isIpcChannel(channel)) throw new Error('This desktop function does not exist.');
    const reply = (await (arg === undefined ? invoke(channel) : invoke(channel, arg))) as
      | { ok: true; value: IpcResult<C> }
      | { ok: false; error?: { code?: unknown; message?: unknown } }
      | undefined;
    if (reply?.ok === true) return reply.value;
    const message = typeof reply?.error?.message === 'string' ? reply.error.message : 'The desktop app gave no answer.';
    const error = new Error(message);
    if (typeof reply?.error?.code === 'string') error.name = reply.error.code;
    throw error;
  };
  return Object.freeze({
    desktop: true as const,
    keychain: Object.freeze({
      status: () => call('Keychain:status'),
      enroll: () => call('Keychain:enroll'),
    }),
    cases: Object.freeze({
      // Only the case id crosses: the main process fetches the case and its key from the server itself.
      approve: (caseId: string) => call('Cases:approve', { caseId }),
    }),
    app: Object.freeze({
      version: () => call('App:version'),
      openExternal: async (url: string) => (await call('App:openExternal', { url })).opened,
      setLocale: async (locale: 'de' | 'en') => {
        await call('App:setLocale', { locale });
      },
    }),
  });
}
