#!/usr/bin/env node
// Runs the bundled CLI; `npm run build` creates it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('creative-engine: the server is not built yet. Run `npm run build` first.');
  process.exit(1);
}
await import(cli);
