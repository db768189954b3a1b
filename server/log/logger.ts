/** Structured one-line logger. Callers pass only non-personal fields: never IPs, user agents, e-mails or URLs with query strings. */
export interface Logger {
  /** Expected, harmless events (a client that went away); written only when debug logging is on. */
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Creates a logger writing to stderr (warnings, errors) and stdout (debug, info); `silent` for tests. */
export function createLogger(options: { silent?: boolean; json?: boolean; debug?: boolean } = {}): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (options.silent || (level === 'debug' && !options.debug)) return;
    const line = options.json
      ? JSON.stringify({ t: new Date().toISOString(), level, message, ...fields })
      : `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${fields ? ' ' + formatFields(fields) : ''}`;
    (level === 'info' || level === 'debug' ? process.stdout : process.stderr).write(line + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}
