import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate } from './app-menu';

const items = (t: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  t.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);

describe('appMenuTemplate', () => {
  it('has a "Connection…" item that reopens the setup', () => {
    for (const isMac of [true, false]) {
      let opened = 0;
      const template = appMenuTemplate({ isMac, devTools: false, onConnection: () => void opened++ });
      const connection = items(template).find((i) => i.id === 'connection');
      expect(connection?.label).toBe('Connection…');
      (connection?.click as () => void)();
      expect(opened).toBe(1);
    }
  });
  it('offers reload and developer tools only in development', () => {
    const roles = (devTools: boolean) => items(appMenuTemplate({ isMac: false, devTools, onConnection: () => undefined })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });
});
