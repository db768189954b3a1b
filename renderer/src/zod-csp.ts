// The console runs under a CSP without 'unsafe-eval'. zod compiles object parsers with `new Function`
// unless configured `jitless`, and already probes for it when an object schema is built — a probe
// Chromium reports as a CSP violation even though zod catches it. zod keeps its configuration on
// `globalThis.__zod_globalConfig` (shared by every copy of zod), so setting it here, first thing in
// main.ts and before any schema module from common/ is evaluated, keeps zod out of the initial bundle.
// The browser tests turn every CSP violation into a failure, so a change in zod would be noticed.
const g = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
g.__zod_globalConfig = { ...g.__zod_globalConfig, jitless: true };

export {};
