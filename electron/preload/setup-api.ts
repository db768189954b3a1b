import { isSetupChannel, type SetupApi, type SetupChannel, type SetupReply } from '../../common/setup-channels';

/** Sends one IPC request (ipcRenderer.invoke in the preload). */
export type SetupInvoke = (channel: string, ...args: unknown[]) => Promise<unknown>;

/** Builds `window.ceSetup` over `invoke`: the four Setup:* channels, replies normalised. */
export function createSetupApi(invoke: SetupInvoke): SetupApi {
  const call = async <T>(channel: SetupChannel, ...args: unknown[]): Promise<SetupReply<T>> => {
    if (!isSetupChannel(channel)) return { ok: false, message: 'This function does not exist.' };
    const reply = (await invoke(channel, ...args)) as SetupReply<T> | undefined;
    if (reply?.ok === true) return reply;
    return { ok: false, message: typeof reply?.message === 'string' ? reply.message : 'The app gave no answer.' };
  };
  return Object.freeze({
    current: () => call('Setup:current'),
    probe: (url: string) => call('Setup:probe', String(url)),
    chooseEmbedded: (serveAdsToNetwork: boolean) => call('Setup:chooseEmbedded', serveAdsToNetwork === true),
    connect: (adminOrigin: string, fingerprint: string, pin: boolean) => call('Setup:connect', String(adminOrigin), String(fingerprint), pin === true),
  }) as SetupApi;
}
