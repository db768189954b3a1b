import type { IncomingMessage } from 'node:http';

/** The TCP peer of a request (the admin listener does not honour X-Forwarded-For). */
export function peerAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Whether an address is this machine: 127.0.0.0/8, ::1 or their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return v === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v);
}
