import { UsageError } from '../command/args';
import { COMMANDS } from './commands';

const HELP = () =>
  [
    'Usage: creative-engine <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(18)} ${c.summary}`),
    '',
    'Run `creative-engine <command> --help` for a command\'s options.',
  ].join('\n');

/** Entry point of bin/creative-engine.js: dispatches to a command, one-line errors, non-zero exits. */
export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(HELP());
    return argv.length === 0 ? 2 : 0;
  }
  // Commands may have two words (`audit verify`, `approver enroll`); take the longest that matches.
  const command = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`) ?? COMMANDS.find((c) => c.name === argv[0]);
  if (!command) {
    const known = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `)).map((c) => c.name);
    const hint = known.length ? ` Did you mean: ${known.join(', ')}?` : ' Run creative-engine --help.';
    console.error(`creative-engine: unknown command "${argv[0]}".${hint}`);
    return 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`Usage: creative-engine ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`creative-engine ${command.name}: ${err.message}`);
      return 2;
    }
    console.error(`creative-engine ${command.name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

