import type { IncomingMessage } from 'node:http';
import { ipBytes, parseCidr, type Cidr } from '../../common/cidr';

/**
 * Resolves the client address of a request. `peer` is the socket's remote address; pass it when the
 * socket may already be gone (after the response closed), otherwise it is read from the socket.
 */
export type ClientIpResolver = (req: IncomingMessage, peer?: string) => string;

const peerOf = (req: IncomingMessage): string => req.socket?.remoteAddress ?? '';

/** Most X-Forwarded-For hops looked at; a longer chain is cut (its left part is client-controlled anyway). */
const MAX_HOPS = 32;

/**
 * Builds the resolver once at start-up from `--trust-proxy` entries (CIDRs or bare addresses, IPv4
 * or IPv6). Without trusted proxies the socket peer is the client. Behind trusted proxies the
 * chain `X-Forwarded-For, peer` is walked from the right and the first hop that is not a trusted
 * proxy is the client: anything left of it was written by the client and may be forged.
 * Throws on an entry that is not an address or prefix, naming it (it is configuration, not personal data).
 */
export function createClientIpResolver(trustProxy: readonly string[]): ClientIpResolver {
  const trusted = trustProxy.map((entry) => {
    const cidr = parseCidr(entry.trim());
    if (!cidr) throw new Error(`--trust-proxy: "${entry}" is not an IP address or CIDR prefix (e.g. 10.0.0.0/8, 192.0.2.1 or 2001:db8::/32).`);
    return cidr;
  });
  if (trusted.length === 0) {
    // Keep-alive connections ask for the same address over and over: the last answer is reused.
    let lastPeer = '';
    let lastIp = '';
    return (req, peer = peerOf(req)) => {
      if (peer !== lastPeer) {
        lastIp = normalizeIp(peer);
        lastPeer = peer;
      }
      return lastIp;
    };
  }

  const isTrusted = (ip: string): boolean => {
    const bytes = ipBytes(ip);
    return bytes !== null && trusted.some((cidr) => matches(cidr, bytes));
  };

  return (req, peer = peerOf(req)) => {
    let client = normalizeIp(peer);
    if (!isTrusted(client)) return client;
    const header = req.headers['x-forwarded-for'];
    if (!header) return client;
    const hops = (Array.isArray(header) ? header.join(',') : header).split(',');
    const last = Math.max(0, hops.length - MAX_HOPS);
    for (let i = hops.length - 1; i >= last; i--) {
      const hop = stripPort(hops[i]!.trim());
      // A hop that is no address cannot be the client; the trusted proxy that passed it on is the best we know.
      if (ipBytes(hop) === null) return client;
      client = normalizeIp(hop);
      if (!isTrusted(client)) return client;
    }
    return client;
  };
}

/** Lower-cases IPv6 and turns IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what dual-stack sockets report) into IPv4. */
export function normalizeIp(ip: string): string {
  const lower = ip.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** Drops a port from `a.b.c.d:port` or `[v6]:port`, as some proxies write them. */
function stripPort(hop: string): string {
  if (hop.startsWith('[')) {
    const end = hop.indexOf(']');
    return end === -1 ? hop : hop.slice(1, end);
  }
  const colon = hop.indexOf(':');
  return colon !== -1 && colon === hop.lastIndexOf(':') && hop.includes('.') ? hop.slice(0, colon) : hop;
}

function matches(cidr: Cidr, bytes: number[]): boolean {
  if (bytes.length !== cidr.bytes.length) return false;
  let left = cidr.bits;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}
