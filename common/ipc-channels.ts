// The fixed IPC channel names on their own, without schemas: the preload needs only this list,
// so that its bundle stays small and holds no validation code (the main process validates).

/** Every channel the preload may invoke, named `Service:method`; common/ipc.ts gives each its schemas. */
export const IPC_CHANNELS = ['Keychain:status', 'Keychain:enroll', 'Cases:approve', 'App:version', 'App:openExternal', 'App:setLocale'] as const;
export type IpcChannel = (typeof IPC_CHANNELS)[number];

/** Whether `value` is one of the fixed channels. */
export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value);
}

/** Error codes a handler may answer with; each comes with a message a person can act on. */
export const IPC_ERROR_CODES = [
  'bad_request',
  'forbidden',
  'not_enrolled',
  'keychain_unavailable',
  'share_invalid',
  'failed',
  /** The console session is gone: sign in again. */
  'not_signed_in',
  /** The server refused or the case cannot be approved (not found, not awaiting approval, not an approver, two different keys). */
  'case_refused',
  /** The approver said no in the confirmation dialog. */
  'declined',
  /** The server did not answer. */
  'server_unavailable',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];
