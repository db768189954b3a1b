import { describe, expect, it } from 'vitest';
import { createMainLogger } from './logger';
import { createQuitGuard } from './quit-guard';

const log = createMainLogger({ quiet: true });
const event = () => {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) };
  return e;
};

describe('createQuitGuard', () => {
  it('holds the quit until the server has stopped, then quits once', async () => {
    const order: string[] = [];
    let finishStop!: () => void;
    let quitted!: () => void;
    const quit = new Promise<void>((resolve) => (quitted = resolve));
    const guard = createQuitGuard({
      stop: () => new Promise<void>((resolve) => (finishStop = () => (order.push('stopped'), resolve()))),
      quit: () => (order.push('quit'), quitted()),
      log,
    });
    const first = event();
    guard.onBeforeQuit(first);
    expect(first.prevented).toBe(true);
    const again = event();
    guard.onBeforeQuit(again); // a second Cmd+Q while stopping
    expect(again.prevented).toBe(true);
    expect(order).toEqual([]);
    finishStop();
    await quit;
    expect(order).toEqual(['stopped', 'quit']);
    const last = event();
    guard.onBeforeQuit(last); // the quit() it issued itself
    expect(last.prevented).toBe(false);
  });

  it('quits even when stopping fails or hangs', async () => {
    let quits = 0;
    /** Resolves when the guard calls quit(). */
    const quitting = () => {
      let done!: () => void;
      const quitted = new Promise<void>((resolve) => (done = resolve));
      return { quitted, quit: () => (quits++, done()) };
    };
    const first = quitting();
    const failing = createQuitGuard({ stop: () => Promise.reject(new Error('boom')), quit: first.quit, log });
    failing.onBeforeQuit(event());
    await first.quitted;
    expect(quits).toBe(1);
    const second = quitting();
    const started = Date.now();
    const hanging = createQuitGuard({ stop: () => new Promise(() => {}), quit: second.quit, log, timeoutMs: 50 });
    hanging.onBeforeQuit(event());
    await second.quitted;
    expect(quits).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });
});
