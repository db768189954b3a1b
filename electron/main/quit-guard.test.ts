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
    const guard = createQuitGuard({
      stop: () => new Promise<void>((resolve) => (finishStop = () => (order.push('stopped'), resolve()))),
      quit: () => order.push('quit'),
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
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['stopped', 'quit']);
    const last = event();
    guard.onBeforeQuit(last); // the quit() it issued itself
    expect(last.prevented).toBe(false);
  });

  it('quits even when stopping fails or hangs', async () => {
    let quits = 0;
    const failing = createQuitGuard({ stop: () => Promise.reject(new Error('boom')), quit: () => quits++, log });
    failing.onBeforeQuit(event());
    await new Promise((r) => setTimeout(r, 10));
    expect(quits).toBe(1);
    const hanging = createQuitGuard({ stop: () => new Promise(() => {}), quit: () => quits++, log, timeoutMs: 50 });
    hanging.onBeforeQuit(event());
    await new Promise((r) => setTimeout(r, 120));
    expect(quits).toBe(2);
  });
});
