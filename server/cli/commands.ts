import type { Command } from './args';
import { serveCommand } from './serve-command';
import { initCommand } from './init-command';
import { demoCommand } from './demo-command';

/** Every sub-command; `creative-engine <name> --help` prints its usage. */
export const COMMANDS: readonly Command[] = [serveCommand, initCommand, demoCommand];
