// The setup page's IPC handlers, as plain functions: validate the page's arguments, probe, and save
// the choice. The page can pin only a fingerprint the main process itself saw in its last probe.
import { SETUP_CHANNELS, type SetupChannel, type SetupCurrentView, type SetupProbeView, type SetupReply } from '../../common/setup-channels';
import { sameTlsFingerprint } from '../../common/tls-fingerprint';
import type { ConnectionSettings } from './connection-settings';
import type { ProbeResult } from './server-probe';

/** The setup page's own URL prefix; IPC from any other page is refused. */
export const SETUP_ORIGIN = 'ce-setup://setup';
export const SETUP_URL = `${SETUP_ORIGIN}/index.html`;

export interface SetupDeps {
  current(): ConnectionSettings | null;
  probe(url: string): Promise<ProbeResult>;
  save(settings: ConnectionSettings): void;
  /** Called after a choice was saved (main closes the setup window and starts in that mode). */
  chosen(settings: ConnectionSettings): void;
}

export type SetupHandler = (senderUrl: string, ...args: unknown[]) => Promise<SetupReply<unknown>>;

/** Whether an IPC message comes from the setup page (its main frame on ce-setup://setup/). */
export function isSetupSender(senderUrl: string): boolean {
  return senderUrl === SETUP_URL || senderUrl.startsWith(`${SETUP_URL}?`) || senderUrl.startsWith(`${SETUP_URL}#`);
}

const fail = (message: string): SetupReply<never> => ({ ok: false, message });

/** One handler per Setup:* channel. */
export function createSetupHandlers(deps: SetupDeps): Record<SetupChannel, SetupHandler> {
  let lastProbe: Extract<ProbeResult, { ok: true }> | null = null;
  const guarded =
    (fn: (...args: unknown[]) => Promise<SetupReply<unknown>>): SetupHandler =>
    async (senderUrl, ...args) => {
      if (!isSetupSender(senderUrl)) return fail('Not allowed from this page.');
      try {
        return await fn(...args);
      } catch (err) {
        return fail(`Could not save the choice: ${(err as Error).message}`);
      }
    };
  const saveAndGo = (settings: ConnectionSettings): SetupReply<{ saved: true }> => {
    deps.save(settings);
    deps.chosen(settings);
    return { ok: true, value: { saved: true } };
  };
  const handlers: Record<SetupChannel, SetupHandler> = {
    'Setup:current': guarded(async () => ({ ok: true, value: currentView(deps.current()) })),
    'Setup:probe': guarded(async (url) => {
      if (typeof url !== 'string' || url.length > 2048) return fail('Enter the server address.');
      lastProbe = null;
      const result = await deps.probe(url);
      if (!result.ok) return fail(result.reason);
      lastProbe = result;
      const view: SetupProbeView = {
        adminOrigin: result.adminOrigin,
        name: result.info.name,
        version: result.info.version,
        installationId: result.info.installationId,
        fingerprint: result.fingerprint,
        caTrusted: result.caTrusted,
      };
      return { ok: true, value: view };
    }),
    'Setup:chooseEmbedded': guarded(async (serveAdsToNetwork) => {
      if (typeof serveAdsToNetwork !== 'boolean') return fail('Bad request.');
      return saveAndGo({ mode: 'embedded', serveAdsToNetwork });
    }),
    'Setup:connect': guarded(async (adminOrigin, fingerprint, pin) => {
      if (typeof adminOrigin !== 'string' || typeof fingerprint !== 'string' || typeof pin !== 'boolean') return fail('Bad request.');
      const seen = lastProbe;
      if (!seen || seen.adminOrigin !== adminOrigin || !sameTlsFingerprint(seen.fingerprint, fingerprint)) {
        return fail('Check the server again before connecting.');
      }
      // A certificate no trusted CA vouches for is only ever accepted by its pin.
      const pinned = pin || !seen.caTrusted ? seen.fingerprint : null;
      return saveAndGo({ mode: 'connect', adminOrigin: seen.adminOrigin, pinnedFingerprint: pinned });
    }),
  };
  for (const channel of SETUP_CHANNELS) if (!handlers[channel]) throw new Error(`no handler for ${channel}`);
  return handlers;
}

function currentView(settings: ConnectionSettings | null): SetupCurrentView {
  if (!settings) return null;
  return settings.mode === 'embedded'
    ? { mode: 'embedded', serveAdsToNetwork: settings.serveAdsToNetwork }
    : { mode: 'connect', adminOrigin: settings.adminOrigin, pinnedFingerprint: settings.pinnedFingerprint };
}
