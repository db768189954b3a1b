import type { ServerResponse } from 'node:http';
import { CONSOLE_CSP, PORTAL_CSP } from '../../common/csp';

/** Headers every response of both listeners carries. */
const COMMON: ReadonlyArray<[string, string]> = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()'],
];


/** Applies the headers for the admin listener (console + API). */
export function applyAdminHeaders(res: ServerResponse, tls: boolean): void {
  for (const [k, v] of COMMON) res.setHeader(k, v);
  // The admin listener serves the console: its policy is the console's (common/csp.ts).
  res.setHeader('content-security-policy', CONSOLE_CSP);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  if (tls) res.setHeader('strict-transport-security', 'max-age=31536000');
}

/** Applies the headers for the portal listener (customer portal, its API, the public pages). */
export function applyPortalHeaders(res: ServerResponse, tls: boolean): void {
  for (const [k, v] of COMMON) res.setHeader(k, v);
  res.setHeader('content-security-policy', PORTAL_CSP);
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  if (tls) res.setHeader('strict-transport-security', 'max-age=31536000');
}

/** The delivery listener's headers as a flat [name, value, …] list (for precomputed header blocks, see sendHeaderBlock). */
export function deliveryHeaderBlock(tls: boolean): string[] {
  const block = COMMON.flat();
  block.push('cross-origin-resource-policy', 'cross-origin');
  if (tls) block.push('strict-transport-security', 'max-age=31536000');
  return block;
}

const DELIVERY_BLOCKS = [deliveryHeaderBlock(false), deliveryHeaderBlock(true)] as const;

/** Applies the headers for the delivery listener; its resources are embedded cross-origin by publishers. */
export function applyDeliveryHeaders(res: ServerResponse, tls: boolean): void {
  const block = DELIVERY_BLOCKS[tls ? 1 : 0];
  for (let i = 0; i < block.length; i += 2) res.setHeader(block[i]!, block[i + 1]!);
}
