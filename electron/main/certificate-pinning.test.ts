import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateDecision, fingerprintOfPem } from './certificate-pinning';

const PIN = `SHA256:${'ab'.repeat(32)}` as const;
const OTHER = `SHA256:${'cd'.repeat(32)}` as const;
const server = { adminOrigin: 'https://ads.example.eu', pinnedFingerprint: PIN };

describe('certificateDecision', () => {
  it('accepts the pinned certificate, trusted CA or not', () => {
    expect(certificateDecision({ hostname: 'ads.example.eu', fingerprint: PIN, caTrusted: false, server })).toEqual({ accept: true });
    expect(certificateDecision({ hostname: 'ADS.example.eu', fingerprint: PIN, caTrusted: true, server })).toEqual({ accept: true });
  });
  it('refuses a changed certificate of the pinned server even when a CA vouches for it', () => {
    for (const caTrusted of [true, false]) {
      const d = certificateDecision({ hostname: 'ads.example.eu', fingerprint: OTHER, caTrusted, server });
      expect(d.accept).toBe(false);
      if (!d.accept) expect(d.warning).toMatch(/different certificate/);
    }
    expect(certificateDecision({ hostname: 'ads.example.eu', fingerprint: null, caTrusted: true, server }).accept).toBe(false);
  });
  it('without a pin accepts only CA-trusted certificates', () => {
    const unpinned = { adminOrigin: 'https://ads.example.eu', pinnedFingerprint: null };
    expect(certificateDecision({ hostname: 'ads.example.eu', fingerprint: OTHER, caTrusted: true, server: unpinned })).toEqual({ accept: true });
    expect(certificateDecision({ hostname: 'ads.example.eu', fingerprint: OTHER, caTrusted: false, server: unpinned }).accept).toBe(false);
    expect(certificateDecision({ hostname: 'ads.example.eu', fingerprint: PIN, caTrusted: false, server: null }).accept).toBe(false);
  });
  it('does not let the pin vouch for another host', () => {
    expect(certificateDecision({ hostname: 'evil.example', fingerprint: PIN, caTrusted: false, server }).accept).toBe(false);
    expect(certificateDecision({ hostname: 'evil.example', fingerprint: OTHER, caTrusted: true, server })).toEqual({ accept: true });
  });
});

describe('fingerprintOfPem', () => {
  it('agrees with openssl on a real certificate and rejects garbage', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-pin-'));
    try {
      const cert = path.join(dir, 'c.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      const out = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
      const hex = out.split('=')[1]!.trim().replace(/:/g, '').toLowerCase();
      expect(fingerprintOfPem(fs.readFileSync(cert, 'utf8'))).toBe(`SHA256:${hex}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(fingerprintOfPem('not a certificate')).toBeNull();
  });
});
