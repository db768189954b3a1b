import type { MenuItemConstructorOptions } from 'electron';
import { dialogTexts, type DialogLocale } from './dialog-texts';

/**
 * The application menu: the standard roles plus "Connection…", which reopens the setup page to
 * change between the embedded server and the agency's server (or confirm a new certificate).
 */
export function appMenuTemplate(opts: { isMac: boolean; onConnection: () => void; devTools: boolean; locale?: DialogLocale }): MenuItemConstructorOptions[] {
  // Roles (Edit, Window, Quit …) are named by Electron in the system's language; our own labels follow the console's.
  const words = dialogTexts(opts.locale ?? 'en').menu;
  const connection: MenuItemConstructorOptions = { id: 'connection', label: words.connection, click: () => opts.onConnection() };
  const fileMenu: MenuItemConstructorOptions = {
    label: words.file,
    submenu: opts.isMac ? [connection, { type: 'separator' }, { role: 'close' }] : [connection, { type: 'separator' }, { role: 'quit' }],
  };
  const viewItems: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (opts.devTools) viewItems.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  const template: MenuItemConstructorOptions[] = [fileMenu, { role: 'editMenu' }, { label: words.view, submenu: viewItems }, { role: 'windowMenu' }];
  if (opts.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
