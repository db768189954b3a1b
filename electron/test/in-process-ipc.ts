import type { IpcMainLike, IpcSenderEvent } from '../main/ipc-handlers';

/** The frame a message comes from: its URL and whether it is an iframe. */
export interface FakeSenderFrame {
  url: string;
  /** Any non-null value marks a sub-frame. */
  parent?: unknown;
}

/**
 * Electron's ipcMain/ipcRenderer pair in one process, for tests and the console's browser tests:
 * handlers are registered exactly as main.ts registers them on ipcMain, and `invoke` calls them with
 * an event naming the sending frame. Like Electron, an unknown channel is an error.
 */
export function createInProcessIpc(): IpcMainLike & {
  invoke(frame: FakeSenderFrame | null, channel: string, ...args: unknown[]): Promise<unknown>;
  channels(): string[];
} {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  return {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
    async invoke(frame, channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      // Electron structured-clones arguments and results; JSON does the same for what crosses here.
      const event: IpcSenderEvent = { senderFrame: frame ? { url: frame.url, parent: frame.parent ?? null } : null };
      const cloned = args.map((a) => (a === undefined ? undefined : JSON.parse(JSON.stringify(a))));
      const result = await handler(event, ...cloned);
      return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    },
    channels: () => [...handlers.keys()],
  };
}
