// A TLS certificate's SHA-256 fingerprint as people compare it: `SHA256:` and 64 lower-case hex
// digits. `serve` prints it, the desktop app shows it before pinning, the CLI takes it as a flag.

/** `SHA256:` + 64 lower-case hex digits. */
export type TlsFingerprint = `SHA256:${string}`;

/**
 * Normalises what a person typed or a library printed: `SHA256:ABCD…`, `ab:cd:…` (Node's
 * fingerprint256) or bare hex, any case. Null unless it is exactly 32 bytes.
 */
export function parseTlsFingerprint(text: unknown): TlsFingerprint | null {
  if (typeof text !== 'string' || text.length > 200) return null;
  const hex = text.trim().replace(/^sha-?256:/i, '').replace(/:/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? `SHA256:${hex}` : null;
}

/** Whether two fingerprints (in any accepted spelling) name the same certificate. */
export function sameTlsFingerprint(a: unknown, b: unknown): boolean {
  const x = parseTlsFingerprint(a);
  return x !== null && x === parseTlsFingerprint(b);
}
