// The fixed IPC channel names on their own, without schemas: the preload needs only this list,
// so that its bundle stays small and holds no validation code (the main process validates).

/** Every channel the preload may invoke, named `Service:method`; common/ipc.ts gives each its schemas. */
export const IPC_CHANNELS = ['Keychain:status', 'Keychain:enroll', 'Cases:approve', 'App:version', 'App:openExternal'] as const;
export type IpcChannel = (typeof IPC_CHANNELS)[number];

/** Whether `value` is one of the fixed channels. */
export function isIpcChannel(value: unknown): value is IpcChannel {
  return typeof value === 'string' && (IPC_CHANNELS as readonly string[]).includes(value);
}
