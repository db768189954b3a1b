import { parseArgs, type ParseArgsConfig } from 'node:util';
import { httpOriginOf } from '../../node/http-origin';

/** A CLI mistake: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** One sub-command of `creative-engine`. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Runs the command; resolves with the exit code (serve resolves when stopped). */
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses flags strictly; unknown flags or stray arguments become a UsageError. */
export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
}

/** Parses a TCP port flag (0 picks a free port). */
export function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`${name} must be a port number from 0 to 65535, not "${value}".`);
  return Number(value);
}

/** Requires a string flag. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${name} is required.`);
  return value;
}

/** Reads all of standard input as text, without the trailing newline (for --password-stdin). */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('Pipe the password into standard input (e.g. `printf %s "$PASSWORD" | creative-engine …`).');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * An http(s) origin given on the command line (`--public-url`), in its ASCII form: an IDN host becomes
 * punycode, so it can stand in headers (CSP) and tags. Anything with a path, query or credentials is refused.
 */
export function parsePublicOrigin(value: string, name: string): string {
  const origin = httpOriginOf(value);
  const url = origin === null ? null : new URL(value);
  if (!url || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new UsageError(`${name} must be an http(s) origin like https://ads.example.com, not "${value}".`);
  }
  return url.origin;
}
