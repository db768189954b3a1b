import { describe, expect, it } from 'vitest';
import { listenerUrlFrom, listenerUrlsIn, listenLine, localListenerUrl } from './listen-line';

describe('listening lines', () => {
  it('shows the bound address, and for a wildcard the URL from this computer', () => {
    expect(listenLine({ name: 'delivery', scheme: 'http', address: '0.0.0.0', port: 8080 })).toBe('delivery listening on 0.0.0.0:8080 (all interfaces; http://127.0.0.1:8080 from this computer)');
    expect(listenLine({ name: 'admin', scheme: 'https', address: '127.0.0.1', port: 8081 })).toBe('admin listening on https://127.0.0.1:8081');
    expect(listenLine({ name: 'admin', scheme: 'https', address: '::1', port: 8081 })).toBe('admin listening on https://[::1]:8081');
    expect(listenLine({ name: 'delivery', scheme: 'https', address: '::', port: 1 })).toBe('delivery listening on [::]:1 (all interfaces; https://[::1]:1 from this computer)');
  });

  it('parses what it prints, behind any log prefix', () => {
    for (const l of [
      { name: 'delivery', scheme: 'http', address: '0.0.0.0', port: 8080 },
      { name: 'admin', scheme: 'https', address: '127.0.0.1', port: 8081 },
      { name: 'portal', scheme: 'https', address: '::', port: 443 },
      { name: 'admin', scheme: 'http', address: '192.168.1.5', port: 9 },
    ] as const) {
      expect(listenerUrlFrom(`2026-01-01T00:00:00.000Z INFO  ${listenLine(l)}`)).toEqual({ name: l.name, url: localListenerUrl(l) });
    }
    expect(listenerUrlFrom('TLS certificate SHA256:00 (CN=x)')).toBeNull();
    expect(listenerUrlFrom('someone listening on http://x')).toBeNull();
    expect(listenerUrlsIn('a\nx INFO  delivery listening on http://127.0.0.1:1\nx INFO  admin listening on https://127.0.0.1:2\n')).toEqual({ delivery: 'http://127.0.0.1:1', admin: 'https://127.0.0.1:2' });
  });
});
