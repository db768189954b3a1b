import { describe, expect, it } from 'vitest';
import { adFrameCsp, CONSOLE_CSP, htmlCreativeCsp, PUBLIC_PAGES_CSP } from './csp';

const ORIGIN = 'https://ads.example.org';

describe('content security policies', () => {
  it("keeps the console on its own origin, without inline scripts or framing", () => {
    expect(CONSOLE_CSP.split('; ')).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]));
    expect(CONSOLE_CSP).not.toMatch(/https?:|unsafe-eval|\*/);
  });

  it('lets ad documents load images and fonts from the delivery server only, and run no script', () => {
    for (const csp of [adFrameCsp(ORIGIN), htmlCreativeCsp(ORIGIN)]) {
      const directives = csp.split('; ');
      expect(directives).toEqual(expect.arrayContaining(["default-src 'none'", `img-src ${ORIGIN} data:`, `font-src ${ORIGIN}`, "form-action 'none'"]));
      expect(csp).not.toMatch(/script-src|unsafe-eval|\*/);
    }
    expect(adFrameCsp(ORIGIN)).toContain('sandbox allow-popups allow-popups-to-escape-sandbox');
    // The iframe placement's measuring script: that hash only, and scripts allowed by the sandbox for it.
    const measured = adFrameCsp(ORIGIN, "'sha256-abc='").split('; ');
    expect(measured).toEqual(expect.arrayContaining(["script-src 'sha256-abc='", 'sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox']));
    expect(measured.filter((d) => d.startsWith('script-src'))).toEqual(["script-src 'sha256-abc='"]);
    expect(htmlCreativeCsp(ORIGIN)).toContain(`base-uri ${ORIGIN}`);
  });

  it('gives the public pages no script source at all and nothing from elsewhere', () => {
    const directives = PUBLIC_PAGES_CSP.split('; ');
    expect(directives).toEqual(expect.arrayContaining(["default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]));
    expect(PUBLIC_PAGES_CSP).not.toMatch(/script-src|unsafe-|https?:|data:|\*/);
  });
});
