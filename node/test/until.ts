/**
 * Resolves as soon as `condition` holds, checking after every turn of the event loop's timers (5 ms),
 * and fails naming `what` after `timeoutMs`. For tests: wait for the thing itself, never a fixed sleep.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
