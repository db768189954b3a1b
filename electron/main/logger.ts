import fs from 'node:fs';
import path from 'node:path';

/** The main process's one logger. Callers pass only non-personal fields: never e-mails, keys, shares or URLs with queries. */
export interface MainLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

export interface MainLoggerOptions {
  /** Also append every line to this file (created with its folder); the desktop app has no terminal. */
  file?: string;
  /** Write nothing to stdout/stderr (tests). */
  quiet?: boolean;
  now?: () => Date;
}

/** Creates the main-process logger: one line per entry to stdout/stderr and, optionally, a log file. */
export function createMainLogger(options: MainLoggerOptions = {}): MainLogger {
  const now = options.now ?? (() => new Date());
  let fd: number | undefined;
  if (options.file) {
    try {
      fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
      fd = fs.openSync(options.file, 'a', 0o600);
    } catch {
      fd = undefined; // Logging to the terminal still works; a read-only profile must not stop the app.
    }
  }
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    const line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${oneLine(message)}${fields ? formatFields(fields) : ''}\n`;
    if (!options.quiet) (level === 'info' ? process.stdout : process.stderr).write(line);
    if (fd !== undefined) {
      try {
        fs.writeSync(fd, line);
      } catch {
        fd = undefined;
      }
    }
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A message from anywhere (an Error, a string, anything thrown) as one safe line. */
export function errorMessage(err: unknown): string {
  return oneLine(err instanceof Error ? err.message : String(err));
}

// One entry is one line, whatever a child process or an exception put into it.
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 2000);
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}=${oneLine(typeof v === 'string' ? v : JSON.stringify(v))}`)
    .join('');
}
