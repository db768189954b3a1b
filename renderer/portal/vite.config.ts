import { defineConfig, mergeConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import consoleConfig from '../vite.config.ts';

// The customer portal: the console's build settings (runtime-only Vue, JIT-only vue-i18n, no inline
// scripts, nothing external — the portal listener's PORTAL_CSP is as strict), its own entry and output.
export default mergeConfig(
  consoleConfig,
  defineConfig({
    root: fileURLToPath(new URL('.', import.meta.url)),
    build: { outDir: fileURLToPath(new URL('../../dist/portal', import.meta.url)), emptyOutDir: true },
  }),
);
