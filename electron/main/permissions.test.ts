import { describe, expect, it } from 'vitest';
import { permissionCheckDecision, permissionRequestDecision } from './permissions';

const ADMIN = 'http://127.0.0.1:43123';
const top = { requestingUrl: `${ADMIN}/zones/zon_x`, isMainFrame: true };

describe('permission decisions', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'hid', 'serial', 'usb', 'unknown'])(
    'denies %s, even to the console',
    (permission) => {
      expect(permissionRequestDecision(permission, top, ADMIN)).toBe(false);
      expect(permissionCheckDecision(permission, ADMIN, ADMIN)).toBe(false);
    },
  );

  it('lets only the console top frame write plain text to the clipboard (copy buttons)', () => {
    expect(permissionRequestDecision('clipboard-sanitized-write', top, ADMIN)).toBe(true);
    expect(permissionCheckDecision('clipboard-sanitized-write', ADMIN, ADMIN)).toBe(true);
    expect(permissionRequestDecision('clipboard-sanitized-write', { ...top, isMainFrame: false }, ADMIN)).toBe(false);
    expect(permissionRequestDecision('clipboard-sanitized-write', { requestingUrl: 'https://example.com/' }, ADMIN)).toBe(false);
    expect(permissionRequestDecision('clipboard-sanitized-write', {}, ADMIN)).toBe(false);
    expect(permissionCheckDecision('clipboard-sanitized-write', 'http://127.0.0.1:8080', ADMIN)).toBe(false);
    expect(permissionCheckDecision('clipboard-sanitized-write', undefined, ADMIN)).toBe(false);
    // Before the server is up there is no admin origin: nothing is granted.
    expect(permissionRequestDecision('clipboard-sanitized-write', top, '')).toBe(false);
  });
});
