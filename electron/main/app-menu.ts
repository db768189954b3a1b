import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu: the standard roles plus "Connection…", which reopens the setup page to
 * change between the embedded server and the agency's server (or confirm a new certificate).
 */
export function appMenuTemplate(opts: { isMac: boolean; onConnection: () => void; devTools: boolean }): MenuItemConstructorOptions[] {
  const connection: MenuItemConstructorOptions = { id: 'connection', label: 'Connection…', click: () => opts.onConnection() };
  const fileMenu: MenuItemConstructorOptions = {
    label: 'File',
    submenu: opts.isMac ? [connection, { type: 'separator' }, { role: 'close' }] : [connection, { type: 'separator' }, { role: 'quit' }],
  };
  const viewItems: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (opts.devTools) viewItems.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  const template: MenuItemConstructorOptions[] = [fileMenu, { role: 'editMenu' }, { label: 'View', submenu: viewItems }, { role: 'windowMenu' }];
  if (opts.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
