// The setup page's IPC surface (ce-setup://), apart from the console's: its own preload exposes
// exactly these channels and nothing else, and the main process answers them only for that page.

/** Every channel the setup preload may invoke, named `Setup:method`. */
export const SETUP_CHANNELS = ['Setup:current', 'Setup:probe', 'Setup:chooseEmbedded', 'Setup:connect'] as const;
export type SetupChannel = (typeof SETUP_CHANNELS)[number];

/** Whether `value` is one of the setup channels. */
export function isSetupChannel(value: unknown): value is SetupChannel {
  return typeof value === 'string' && (SETUP_CHANNELS as readonly string[]).includes(value);
}

/** What the page learns from a probe: who the server is and which certificate it showed. */
export interface SetupProbeView {
  adminOrigin: string;
  name: string;
  version: string;
  installationId: string;
  fingerprint: string;
  /** Whether the certificate chains to a CA this computer trusts; if not, pinning is required. */
  caTrusted: boolean;
}

/** The current choice as the page shows it (null on first start). */
export type SetupCurrentView =
  | null
  | { mode: 'embedded'; serveAdsToNetwork: boolean }
  | { mode: 'connect'; adminOrigin: string; pinnedFingerprint: string | null };

/** `window.ceSetup`, the setup preload's API. Every call answers `{ok:true,value}` or `{ok:false,message}`. */
export interface SetupApi {
  current(): Promise<SetupReply<SetupCurrentView>>;
  probe(url: string): Promise<SetupReply<SetupProbeView>>;
  chooseEmbedded(serveAdsToNetwork: boolean): Promise<SetupReply<{ saved: true }>>;
  connect(adminOrigin: string, fingerprint: string, pin: boolean): Promise<SetupReply<{ saved: true }>>;
}

export type SetupReply<T> = { ok: true; value: T } | { ok: false; message: string };
