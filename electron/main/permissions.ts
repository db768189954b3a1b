import { originOf } from './window-options';

/**
 * The one permission the console may use: writing plain text to the clipboard, for the zone tag's
 * and iframe snippet's copy buttons. It cannot read anything; camera, microphone, location,
 * notifications, devices, fullscreen, openExternal and everything else are denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Decides a permission request (session.setPermissionRequestHandler): only the allow-list, only for the admin origin's top frame. */
export function permissionRequestDecision(
  permission: string,
  details: { requestingUrl?: string; isMainFrame?: boolean },
  adminOrigin: string,
): boolean {
  if (!ALLOWED_PERMISSIONS.has(permission)) return false;
  if (details.isMainFrame === false) return false;
  return details.requestingUrl !== undefined && originOf(details.requestingUrl) === adminOrigin;
}

/** Decides a permission check (session.setPermissionCheckHandler) the same way, by the requesting origin. */
export function permissionCheckDecision(permission: string, requestingOrigin: string | undefined, adminOrigin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && requestingOrigin !== undefined && originOf(requestingOrigin) === adminOrigin;
}
