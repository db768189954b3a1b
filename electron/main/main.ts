// The desktop app's main process. It only wires the plain, unit-tested modules beside it to
// Electron: single instance, embedded server, hardened window and session, IPC, clean quit.
import { app, BrowserWindow, dialog, ipcMain, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { createApproverKeychain } from '../../node/approver-keychain';
import { registerIpcHandlers } from './ipc-handlers';
import { createSessionAdminCall, installationIdFrom } from './session-admin-call';
import { createMainLogger, errorMessage } from './logger';
import { navigationDecision, windowOpenDecision } from './navigation-guard';
import { permissionCheckDecision, permissionRequestDecision } from './permissions';
import { createQuitGuard } from './quit-guard';
import { startServerProcess, type ServerProcess } from './server-process';
import { consoleWindowOptions, withConsoleCsp } from './window-options';

/**
 * The keychain account names a server by origin, but the embedded server's admin port is chosen
 * anew at each start. One OS user has one embedded server (its data live under userData), so its
 * approver identity is filed under this stable name instead.
 */
const EMBEDDED_KEYCHAIN_SERVER = 'http://embedded.creative-engine.localhost';

const log = createMainLogger({ file: path.join(app.getPath('logs'), 'main.log') });
let server: ServerProcess | undefined;
let mainWindow: BrowserWindow | undefined;
let quitting = false;

const adminOrigin = () => server?.adminOrigin ?? null;

if (!app.requestSingleInstanceLock()) {
  log.info('another instance is running; handing over to it');
  app.quit();
} else {
  app.enableSandbox(); // every renderer, whatever its options say
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
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
    if (!mainWindow && server) openConsoleWindow(server.adminUrl);
  });
  app.whenReady().then(start, (err: unknown) => fatal('Electron did not start', err));
}

// Approver wiring (approver branch): the main process calls the server as the console session, and
// asks before approving; the electron branch may replace both.
const adminCall = createSessionAdminCall({ origin: adminOrigin, fetch: (url, init) => session.defaultSession.fetch(url, init) });

async function confirmApproval(summary: string): Promise<boolean> {
  const options = { type: 'warning' as const, buttons: ['Cancel', 'Approve'], defaultId: 0, cancelId: 0, noLink: true, title: 'Creative Engine', message: 'Approve unsealing this case?', detail: summary };
  const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return response === 1;
}

async function start(): Promise<void> {
  hardenSession();
  registerIpcHandlers(ipcMain, {
    adminOrigin,
    keychain: createApproverKeychain(),
    adminCall,
    installationId: installationIdFrom(adminCall, adminOrigin),
    confirmApproval,
    // Identities filed by earlier versions under the embedded server's stable name move to the installation id.
    legacyOrigins: () => [EMBEDDED_KEYCHAIN_SERVER],
    version: { app: app.getVersion(), electron: process.versions.electron ?? '', platform: process.platform },
    openExternal: confirmAndOpenExternal,
    log,
  });
  const dataDir = path.join(app.getPath('userData'), 'data');
  // Packaged, Electron's own binary runs the server as Node (the native modules are rebuilt for it).
  // `npm start` passes plain node instead, because node_modules/ holds Node builds of them.
  const devNode = app.isPackaged ? undefined : process.env.CREATIVE_ENGINE_SERVER_NODE;
  try {
    server = await startServerProcess({
      execPath: devNode ?? process.execPath,
      runAsNode: devNode === undefined,
      cliPath: path.join(app.getAppPath(), 'dist', 'server', 'cli.js'),
      dataDir,
      deliveryPort: portFromEnv('CREATIVE_ENGINE_DELIVERY_PORT', 8080),
      log,
    });
  } catch (err) {
    fatal('The embedded server did not start', err);
    return;
  }
  void server.exited.then(({ code, signal }) => {
    if (quitting) return;
    fatal('The embedded server stopped unexpectedly', new Error(`exit ${signal ?? code}; see ${path.join(app.getPath('logs'), 'main.log')}`));
  });
  if (server.deliveryPortFallback) {
    log.warn(`delivery listener on ${server.deliveryUrl} (port ${process.env.CREATIVE_ENGINE_DELIVERY_PORT ?? 8080} was taken)`);
  }
  openConsoleWindow(server.adminUrl);
}

function openConsoleWindow(adminUrl: string): void {
  const win = new BrowserWindow(
    consoleWindowOptions({ preloadPath: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged }),
  );
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = undefined;
  });
  win.loadURL(`${adminUrl}/`).catch((err: unknown) => log.error('the console did not load', { error: errorMessage(err) }));
}

/** Session-wide: the console CSP on admin-origin responses; permissions denied but for the allow-list. */
function hardenSession(): void {
  const ses = session.defaultSession;
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

/** Per web contents: no webviews, navigation only within the admin origin, no new windows. */
function hardenContents(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  const guardNavigation = (event: { preventDefault(): void }, url: string) => {
    const decision = navigationDecision(url, adminOrigin() ?? '');
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'open-external') void confirmAndOpenExternal(decision.url);
    else log.warn('navigation blocked', { reason: decision.reason });
  };
  contents.on('will-navigate', (event) => guardNavigation(event, event.url));
  contents.on('will-redirect', (event) => {
    if (event.isMainFrame) guardNavigation(event, event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url, adminOrigin() ?? '');
    if (decision.action === 'open-external') void confirmAndOpenExternal(decision.url);
    else log.warn('new window blocked', { reason: decision.reason });
    return { action: 'deny' };
  });
}

/** Opens an already checked https link in the system browser once the user agreed. */
async function confirmAndOpenExternal(url: string): Promise<boolean> {
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: url,
  };
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

function fatal(what: string, err: unknown): void {
  log.error(what, { error: errorMessage(err) });
  dialog.showErrorBox('Creative Engine', `${what}.\n\n${errorMessage(err)}`);
  quitting = true;
  app.exit(1);
}
