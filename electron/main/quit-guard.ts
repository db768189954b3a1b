import { errorMessage, type MainLogger } from './logger';

export interface QuitGuardOptions {
  /** Stops the embedded server (flushing statistics and sealed logs). */
  stop: () => Promise<void>;
  /** Asks the app to quit again once stopped (app.quit). */
  quit: () => void;
  log: MainLogger;
  /** Quit anyway after this long; stop() itself kills a server that hangs. */
  timeoutMs?: number;
}

/**
 * Handles `before-quit`: the first one is held back until the server has stopped cleanly, then the
 * app quits for real; quit requests while stopping are held back too, so the server is never cut off.
 */
export function createQuitGuard(options: QuitGuardOptions): { onBeforeQuit(event: { preventDefault(): void }): void } {
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  return {
    onBeforeQuit(event) {
      if (state === 'stopped') return;
      event.preventDefault();
      if (state === 'stopping') return;
      state = 'stopping';
      options.log.info('quitting: stopping the embedded server');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          options.log.warn('the embedded server took too long to stop; quitting anyway');
          resolve();
        }, options.timeoutMs ?? 20_000);
      });
      const stopping = options.stop().catch((err: unknown) => options.log.error('stopping the embedded server failed', { error: errorMessage(err) }));
      void Promise.race([stopping, timeout]).then(() => {
        clearTimeout(timer);
        state = 'stopped';
        options.quit();
      });
    },
  };
}
