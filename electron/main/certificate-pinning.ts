// Whether the app accepts a server's TLS certificate. Used from Electron's
// session.setCertificateVerifyProc, so it decides for every https connection the window makes.
import { X509Certificate } from 'node:crypto';
import { parseTlsFingerprint, sameTlsFingerprint, type TlsFingerprint } from '../../common/tls-fingerprint';

/** What the app knows about the server it is connected to. */
export interface PinnedServer {
  /** The https admin origin, e.g. `https://ads.example.eu`. */
  adminOrigin: string;
  /** The fingerprint the user confirmed, or null when they trusted the certificate authority alone. */
  pinnedFingerprint: TlsFingerprint | null;
}

/** A refusal names its reason (the dialog words it in the console's language, electron/main/dialog-texts.ts) and an English warning for the log. */
export type CertificateDecision = { accept: true } | { accept: false; refusal: 'changed' | 'untrusted'; warning: string };

/**
 * The rule: the pinned server's certificate must match the pin exactly, trusted CA or not (a
 * changed certificate is refused with a plain warning); without a pin, only a certificate that
 * chains to a trusted CA is accepted; every other host needs a CA-trusted certificate too.
 */
export function certificateDecision(input: {
  hostname: string;
  port?: number;
  fingerprint: TlsFingerprint | null;
  caTrusted: boolean;
  server: PinnedServer | null;
}): CertificateDecision {
  const { server } = input;
  if (server && server.pinnedFingerprint && isServerHost(server.adminOrigin, input.hostname)) {
    if (sameTlsFingerprint(input.fingerprint, server.pinnedFingerprint)) return { accept: true };
    return {
      accept: false,
      refusal: 'changed',
      warning:
        `The server ${input.hostname} presented a different certificate than the one you confirmed. ` +
        'The connection was refused. If your agency replaced the certificate, choose "Connection…" in the menu and confirm the new fingerprint; otherwise tell your IT.',
    };
  }
  if (input.caTrusted) return { accept: true };
  return { accept: false, refusal: 'untrusted', warning: `The certificate of ${input.hostname} is not trusted. The connection was refused.` };
}

function isServerHost(adminOrigin: string, hostname: string): boolean {
  if (!URL.canParse(adminOrigin)) return false;
  const host = new URL(adminOrigin).hostname.replace(/^\[|\]$/g, '');
  return host === hostname.toLowerCase().replace(/^\[|\]$/g, '');
}

/** The SHA-256 fingerprint of a PEM certificate (what Electron hands to the verify proc), or null. */
export function fingerprintOfPem(pem: string): TlsFingerprint | null {
  try {
    return parseTlsFingerprint(new X509Certificate(pem).fingerprint256);
  } catch {
    return null;
  }
}
