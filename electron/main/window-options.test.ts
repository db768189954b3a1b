import { describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../common/csp';
import { consoleWindowOptions, originOf, withConsoleCsp } from './window-options';

const ADMIN = 'http://127.0.0.1:43123';

describe('consoleWindowOptions', () => {
  it('hardens the window per the Electron security checklist', () => {
    const options = consoleWindowOptions({ preloadPath: '/app/dist/electron/preload.cjs', devTools: false });
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(options.show).toBe(false);
  });
});

describe('withConsoleCsp', () => {
  it('adds the console CSP to admin-origin responses', () => {
    const headers = withConsoleCsp(`${ADMIN}/`, { 'Content-Type': ['text/html'] }, ADMIN);
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONSOLE_CSP] });
  });

  it("keeps the server's own policy (both apply) and does not duplicate an equal one", () => {
    const strict = "default-src 'none'";
    expect(withConsoleCsp(`${ADMIN}/api/me`, { 'content-security-policy': [strict] }, ADMIN)).toEqual({
      'Content-Security-Policy': [strict, CONSOLE_CSP],
    });
    expect(withConsoleCsp(`${ADMIN}/`, { 'Content-Security-Policy': [CONSOLE_CSP] }, ADMIN)).toEqual({
      'Content-Security-Policy': [CONSOLE_CSP],
    });
    expect(withConsoleCsp(`${ADMIN}/`, undefined, ADMIN)).toEqual({ 'Content-Security-Policy': [CONSOLE_CSP] });
  });

  it('leaves other origins alone', () => {
    const headers = { 'Content-Type': ['image/png'] };
    expect(withConsoleCsp('http://127.0.0.1:8080/v1/asset/x.png', headers, ADMIN)).toBe(headers);
    expect(withConsoleCsp('devtools://devtools/bundled/x.html', headers, ADMIN)).toBe(headers);
  });

  it('is strict: nothing from third parties, no inline scripts, no framing', () => {
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("script-src 'self';");
    expect(CONSOLE_CSP).toContain("object-src 'none'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toMatch(/https?:|unsafe-eval|\*/);
  });
});

describe('originOf', () => {
  it('returns the origin or null', () => {
    expect(originOf(`${ADMIN}/x?y#z`)).toBe(ADMIN);
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
});
