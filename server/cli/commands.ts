import type { Command } from './args';
import { serveCommand } from './serve-command';

/** Every sub-command; `creative-engine <name> --help` prints its usage. */
export const COMMANDS: readonly Command[] = [serveCommand];
