// Preloaded into the server by npm run bench:soak (NODE_OPTIONS=--require bench/soak-probe.cjs):
// every 10 s appends one JSON line to the file BENCH_SOAK_PROBE_FILE names — the event loop's
// delay over those 10 s (p50, p99, max in ms, from perf_hooks.monitorEventLoopDelay), heapUsed and
// rss in bytes, the pid and the time. The histogram holds the time between its timer's runs, so an
// idle loop shows the resolution (10 ms); the lines give the delay beyond it. Does nothing without
// the variable, and only in the main thread (worker threads and child processes inherit the
// preload; the pid tells lines apart).
// process.getBuiltinModule (Node ≥ 20.16) rather than require(), which the lint forbids.
const { isMainThread } = process.getBuiltinModule('node:worker_threads');
const { monitorEventLoopDelay } = process.getBuiltinModule('node:perf_hooks');
const fs = process.getBuiltinModule('node:fs');

const file = process.env.BENCH_SOAK_PROBE_FILE;
if (file && isMainThread) {
  const RESOLUTION_MS = 10;
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const ms = (ns) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
  setInterval(() => {
    const { heapUsed, rss } = process.memoryUsage();
    const line = { pid: process.pid, at: Date.now(), p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), heapUsed, rss };
    delay.reset();
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 10_000).unref();
}
