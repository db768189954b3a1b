// The desktop app's main process. It only wires the plain, unit-tested modules beside it to
// Electron: single instance, the connection choice (embedded server or the agency's server),
// hardened window and session, certificate pinning, IPC, clean quit.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell, type WebContents } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { SETUP_CHANNELS } from '../../common/setup-channels';
import { createApproverKeychain } from '../../node/approver-keychain';
import { createAdminCall, installationIdOf } from './admin-call';
import { appMenuTemplate } from './app-menu';
import { certificateDecision, fingerprintOfPem, type PinnedServer } from './certificate-pinning';
import { loadConnectionSettings, saveConnectionSettings, type ConnectionSettings } from './connection-settings';
import { approvalDialogOptions, approvedByDialog, certificateDialogOptions, describeCaseIn, dialogLocale, fatalText, openExternalDialogOptions, type DialogLocale, type FatalCause } from './dialog-texts';
import { registerIpcHandlers } from './ipc-handlers';
import { createMainLogger, errorMessage } from './logger';
import { frameNavigationDecision, windowOpenDecision } from './navigation-guard';
import { permissionCheckDecision, permissionRequestDecision } from './permissions';
import { createQuitGuard } from './quit-guard';
import { probeServer } from './server-probe';
import { nodeServerLauncher, startServerProcess, type ServerProcess } from './server-process';
import { createSetupHandlers, SETUP_URL } from './setup-ipc';
import { SETUP_SCHEME, setupAsset } from './setup-protocol';
import { utilityServerLauncher } from './utility-launcher';
import { consoleWindowOptions, withConsoleCsp } from './window-options';

/**
 * Before installation ids, the keychain account named a server by origin, and the embedded server's
 * identity was filed under this stable name (its admin port changes at each start). Identities found
 * under it are moved to the installation id on first use.
 */
const EMBEDDED_KEYCHAIN_SERVER = 'http://embedded.creative-engine.localhost';

const log = createMainLogger({ file: path.join(app.getPath('logs'), 'main.log') });
const userData = app.getPath('userData');
let settings: ConnectionSettings | null = null;
let server: ServerProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let setupWindow: BrowserWindow | undefined;
let started = false;
let quitting = false;
const warnedFingerprints = new Set<string>();
// The console's language once it said it (App:setLocale); until then the system's.
let chosenLocale: DialogLocale | null = null;
const locale = (): DialogLocale => dialogLocale(chosenLocale, app.isReady() ? app.getLocale() : '');

/** The one origin the console window, its IPC and the keychain bridge trust: the embedded server's or the agency's. */
const adminOrigin = (): string | null => (settings?.mode === 'connect' ? settings.adminOrigin : (server?.adminOrigin ?? null));
const pinnedServer = (): PinnedServer | null =>
  settings?.mode === 'connect' ? { adminOrigin: settings.adminOrigin, pinnedFingerprint: settings.pinnedFingerprint } : null;

// Before `ready`: the setup page's scheme behaves like https (a real origin, secure context).
protocol.registerSchemesAsPrivileged([{ scheme: SETUP_SCHEME, privileges: { standard: true, secure: true } }]);

if (!app.requestSingleInstanceLock()) {
  log.info('another instance is running; handing over to it');
  app.quit();
} else {
  app.enableSandbox(); // every renderer, whatever its options say
  app.on('second-instance', () => {
    const win = mainWindow ?? setupWindow;
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));
  const guard = createQuitGuard({ stop: async () => server?.stop(), quit: () => app.quit(), log });
  app.on('before-quit', (event) => {
    quitting = true;
    guard.onBeforeQuit(event);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    const origin = adminOrigin();
    if (!mainWindow && !setupWindow && origin) openConsoleWindow(`${origin}/`);
  });
  app.whenReady().then(ready, (err: unknown) => fatal('electron', err));
}

/** The application menu in the current language (rebuilt when the console changes it). */
function buildMenu(): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(appMenuTemplate({ isMac: process.platform === 'darwin', devTools: !app.isPackaged, onConnection: openSetupWindow, locale: locale() })),
  );
}

async function ready(): Promise<void> {
  hardenSession();
  serveSetupPage();
  registerSetupIpc();
  buildMenu();
  const loaded = loadConnectionSettings(userData);
  if (loaded.state === 'ok') return start(loaded.settings);
  if (loaded.state === 'invalid') log.warn('connection settings unusable; asking again', { reason: loaded.reason });
  openSetupWindow(); // first start (or a broken file): ask, then start() from the setup handler
}

/** Starts in the chosen mode, once per run; a later change relaunches the app. */
async function start(chosen: ConnectionSettings): Promise<void> {
  started = true;
  settings = chosen;
  const windowSession = session.defaultSession;
  const adminCall = createAdminCall((url, init) => windowSession.fetch(url, init), adminOrigin);
  registerIpcHandlers(ipcMain, {
    adminOrigin,
    keychain: createApproverKeychain(),
    adminCall,
    installationId: installationIdOf(adminCall, adminOrigin),
    confirmApproval: async (_summary, view): Promise<boolean> => {
      const options = approvalDialogOptions(describeCaseIn(view, locale()), locale());
      const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
      return approvedByDialog(response);
    },
    // Keychain entries made before installation ids existed were filed under these names; they move on first use.
    legacyOrigins: () => (chosen.mode === 'connect' ? [chosen.adminOrigin] : [EMBEDDED_KEYCHAIN_SERVER]),
    version: { app: app.getVersion(), electron: process.versions.electron ?? '', platform: process.platform },
    openExternal: confirmAndOpenExternal,
    setLocale: (chosen) => {
      if (chosen === chosenLocale) return;
      chosenLocale = chosen;
      buildMenu();
    },
    log,
  });


  if (chosen.mode === 'connect') {
    log.info('connecting to the agency server', { admin: chosen.adminOrigin, pinned: chosen.pinnedFingerprint !== null });
    openConsoleWindow(`${chosen.adminOrigin}/`);
    return;
  }
  await startEmbedded(chosen.serveAdsToNetwork);
}

async function startEmbedded(serveAdsToNetwork: boolean): Promise<void> {
  const dataDir = path.join(userData, 'data');
  // Packaged, the server runs in Electron's utilityProcess (natives rebuilt for Electron).
  // `npm start` passes plain node instead, because node_modules/ holds Node builds of them.
  const devNode = app.isPackaged ? undefined : process.env.CREATIVE_ENGINE_SERVER_NODE;
  try {
    server = await startServerProcess({
      launch: devNode ? nodeServerLauncher(devNode) : utilityServerLauncher,
      cliPath: path.join(app.getAppPath(), 'dist', 'server', 'cli.js'),
      dataDir,
      deliveryPort: portFromEnv('CREATIVE_ENGINE_DELIVERY_PORT', 8080),
      // Ads reach publishers' pages only when the user chose so; otherwise only this computer.
      deliveryHost: serveAdsToNetwork ? '0.0.0.0' : '127.0.0.1',
      log,
    });
  } catch (err) {
    fatal('serverStart', err);
    return;
  }
  void server.exited.then(({ code, signal }) => {
    if (quitting) return;
    fatal('serverStopped', new Error(`exit ${signal ?? code}; see ${path.join(app.getPath('logs'), 'main.log')}`));
  });
  if (server.deliveryPortFallback) {
    log.warn(`delivery listener on ${server.deliveryUrl} (port ${process.env.CREATIVE_ENGINE_DELIVERY_PORT ?? 8080} was taken)`);
  }
  openConsoleWindow(`${server.adminUrl}/`);
}

function openConsoleWindow(url: string): void {
  const win = new BrowserWindow(
    consoleWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged }),
  );
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  win.loadURL(url).catch((err: unknown) => log.error('the console did not load', { error: errorMessage(err) }));
}

/** The setup page: first start, a broken settings file, or "Connection…" in the menu. */
function openSetupWindow(): void {
  if (setupWindow) return setupWindow.focus();
  const base = consoleWindowOptions({ preloadPath: path.join(__dirname, 'setup-preload.cjs'), devTools: !app.isPackaged });
  const win = new BrowserWindow({ ...base, title: 'Creative Engine – Connection', width: 720, height: 640, minWidth: 560, minHeight: 520, parent: mainWindow, modal: mainWindow !== undefined });
  setupWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (setupWindow === win) setupWindow = undefined;
    if (!started && !quitting) app.quit(); // closed on first start without a choice
  });
  win.loadURL(SETUP_URL).catch((err: unknown) => log.error('the setup page did not load', { error: errorMessage(err) }));
}

function serveSetupPage(): void {
  const dir = path.join(__dirname, 'setup');
  protocol.handle(SETUP_SCHEME, async (request) => {
    const asset = setupAsset(request.url);
    if (!asset) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const body = await fs.promises.readFile(path.join(dir, asset.file));
    return new Response(body, { status: 200, headers: asset.headers });
  });
}

function registerSetupIpc(): void {
  const handlers = createSetupHandlers({
    current: () => settings ?? (() => {
      const loaded = loadConnectionSettings(userData);
      return loaded.state === 'ok' ? loaded.settings : null;
    })(),
    probe: (url) => probeServer(url),
    save: (chosen) => saveConnectionSettings(userData, chosen),
    chosen: (chosen) => {
      log.info('connection chosen', { mode: chosen.mode });
      setupWindow?.close();
      if (!started) {
        void start(chosen);
        return;
      }
      // A running console (and maybe an embedded server) cannot switch in place: restart cleanly.
      app.relaunch();
      app.quit();
    },
  });
  for (const channel of SETUP_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!setupWindow || event.sender !== setupWindow.webContents || event.senderFrame?.parent) {
        return { ok: false, message: 'Not allowed from this page.' };
      }
      return handlers[channel](event.senderFrame?.url ?? '', ...args);
    });
  }
}

/** Session-wide: certificate pinning, the console CSP on admin-origin responses, permissions denied but for the allow-list. */
function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setCertificateVerifyProc((request, callback) => {
    const fingerprint = fingerprintOfPem(request.certificate.data);
    const decision = certificateDecision({ hostname: request.hostname, fingerprint, caTrusted: request.verificationResult === 'net::OK', server: pinnedServer() });
    if (decision.accept) return callback(0);
    callback(-2);
    log.warn('certificate refused', { host: request.hostname, fingerprint });
    const key = `${request.hostname} ${fingerprint}`;
    if (!warnedFingerprints.has(key)) {
      warnedFingerprints.add(key);
      void dialog.showMessageBox(certificateDialogOptions(decision.refusal, request.hostname, locale()));
    }
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    const origin = adminOrigin();
    callback({ responseHeaders: origin ? withConsoleCsp(details.url, details.responseHeaders, origin) : details.responseHeaders });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = permissionRequestDecision(permission, details, adminOrigin() ?? '');
    if (!granted) log.warn('permission request denied', { permission });
    callback(granted);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionCheckDecision(permission, requestingOrigin, adminOrigin() ?? ''),
  );
  ses.setDevicePermissionHandler(() => false);
}

/** Per web contents: no webviews, navigation (main frame and sub-frames) only within the admin origin, no new windows. */
function hardenContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const isSetup = () => setupWindow !== undefined && contents === setupWindow.webContents;
  const guard = (event: { preventDefault(): void }, url: string, isMainFrame: boolean) => {
    // The setup page never navigates: it is one document.
    const decision = isSetup() ? ({ action: 'block', reason: 'the setup page does not navigate' } as const) : frameNavigationDecision(url, adminOrigin() ?? '', isMainFrame);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') void confirmAndOpenExternal(decision.url);
    else log.warn('navigation blocked', { reason: decision.reason });
  };
  contents.on('will-navigate', (event) => guard(event, event.url, true));
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guard(event, event.url, false); // the main frame: will-navigate above
  });
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame) guard(event, event.url, true);
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, adminOrigin() ?? '');
    if (decision.action === 'open-external' && !isSetup()) void confirmAndOpenExternal(decision.url);
    else log.warn('new window blocked', { reason: decision.action === 'block' ? decision.reason : 'from the setup page' });
    return { action: 'deny' };
  });
}

/** Opens an already checked https link in the system browser once the user agreed. */
async function confirmAndOpenExternal(url: string): Promise<boolean> {
  const options = openExternalDialogOptions(url, locale());
  const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  try {
    await shell.openExternal(url);
    return true;
  } catch (err) {
    log.error('the system browser could not be opened', { error: errorMessage(err) });
    return false;
  }
}

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port;
  log.warn(`${name} is not a port number; using ${fallback}`);
  return fallback;
}

function fatal(cause: FatalCause, err: unknown): void {
  log.error('fatal', { cause, error: errorMessage(err) });
  dialog.showErrorBox('Creative Engine', fatalText(cause, errorMessage(err), locale()));
  quitting = true;
  app.exit(1);
}
