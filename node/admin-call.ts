/**
 * One JSON call to the admin API as the signed-in user, resolving with the parsed body or throwing
 * with the server's message. The approver CLI implements it over node:https (pinned certificate);
 * the desktop app's main process over Electron's network stack with the console's session. Code that
 * must talk to the server itself (the approve path) takes this, never data handed over by a page.
 */
export type AdminCall = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<T>;
