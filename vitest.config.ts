import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['common/**/*.test.ts', 'node/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/test/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'dist/**'],
    environment: 'node',
    // Builds dist/ once when stale; no test file builds (scripts/test-global-setup.mjs says why).
    globalSetup: ['scripts/test-global-setup.mjs'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a real server and browser do (scrypt sign-ins, index rebuilds): its
    // default second fails tests on a loaded CI machine, so polls wait up to 10 s (they end as soon as they pass).
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
