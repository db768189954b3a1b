// The "listening on" line `serve` prints per listener, and its parser for whoever starts `serve`
// as a child process (the desktop app, npm start, benchmarks, tests).

/** Listener names as they open the line. */
export type ListenerName = 'delivery' | 'admin' | 'portal';

/** A bound listener: its name, scheme and the address the socket really has. */
export interface BoundListener {
  name: ListenerName;
  scheme: 'http' | 'https';
  address: string;
  port: number;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const bracket = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/**
 * `delivery listening on 0.0.0.0:8080 (all interfaces; http://127.0.0.1:8080 from this computer)` for a
 * wildcard address, `admin listening on https://127.0.0.1:8081` for a specific one.
 */
export function listenLine(l: BoundListener): string {
  if (WILDCARDS.has(l.address)) {
    const local = l.address === '0.0.0.0' ? '127.0.0.1' : '[::1]';
    return `${l.name} listening on ${bracket(l.address)}:${l.port} (all interfaces; ${l.scheme}://${local}:${l.port} from this computer)`;
  }
  return `${l.name} listening on ${l.scheme}://${bracket(l.address)}:${l.port}`;
}

/** The URL this computer reaches a listener at. */
export function localListenerUrl(l: BoundListener): string {
  const host = l.address === '0.0.0.0' ? '127.0.0.1' : l.address === '::' || l.address === '[::]' ? '[::1]' : bracket(l.address);
  return `${l.scheme}://${host}:${l.port}`;
}

const LINE = /\b(delivery|admin|portal) listening on (?:(https?:\/\/\S+?)\/?(?:\s|$)|\S+ \(all interfaces; (https?:\/\/\S+?)\/? from this computer\))/;

/** From a log line (any prefix), the listener's name and the URL to reach it from this computer; null for other lines. */
export function listenerUrlFrom(line: string): { name: ListenerName; url: string } | null {
  const m = LINE.exec(line);
  if (!m) return null;
  return { name: m[1] as ListenerName, url: (m[2] ?? m[3])! };
}

/** Every listener URL in a block of log output (later lines win), by listener name. */
export function listenerUrlsIn(output: string): Partial<Record<ListenerName, string>> {
  const found: Partial<Record<ListenerName, string>> = {};
  for (const line of output.split('\n')) {
    const l = listenerUrlFrom(line);
    if (l) found[l.name] = l.url;
  }
  return found;
}
