/**
 * The one home of the Content-Security-Policies. The admin listener sends CONSOLE_CSP
 * (server/http/security-headers.ts), Electron's main process adds it to every admin-origin
 * response (electron/main/window-options.ts), and the delivery listener builds the ad documents'
 * policies here. Change a policy here, nowhere else.
 */

/** Joins directives into one policy string. */
const policy = (directives: readonly string[]): string => directives.join('; ');

/** The console (admin listener and Electron window): same origin only, nothing from third parties. */
export const CONSOLE_CSP = policy([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);

/** The customer portal (portal listener): same origin only, no frames, nothing from third parties. */
export const PORTAL_CSP = policy([
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
]);

/**
 * The portal's public pages (privacy statement, imprint, contact form: server-rendered HTML, no
 * script at all): the same-origin stylesheet and images, forms posting to this origin only. The
 * operator's own HTML runs under it too, so nothing it contains can execute or load from elsewhere.
 */
export const PUBLIC_PAGES_CSP = policy([
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
]);

/** What every ad document may load: images and fonts from the delivery server, inline styles, no scripts. */
const adDirectives = (origin: string): string[] => [
  "default-src 'none'",
  `img-src ${origin} data:`,
  "style-src 'unsafe-inline'",
  `font-src ${origin}`,
];

/**
 * CSP header of the delivery's iframe document: the ad only, sandboxed (links may open a new
 * window, nothing else). `origin` is the delivery server's ASCII origin. `scriptHash`
 * ('sha256-…', quoted) lets exactly one inline script run, the placement's viewability measurement:
 * the sandbox then allows scripts, and the hash keeps every other script (the creative's included) out.
 */
export function adFrameCsp(origin: string, scriptHash?: string): string {
  const sandbox = `sandbox ${scriptHash ? 'allow-scripts ' : ''}allow-popups allow-popups-to-escape-sandbox`;
  return policy([...adDirectives(origin), ...(scriptHash ? [`script-src ${scriptHash}`] : []), "base-uri 'none'", "form-action 'none'", sandbox]);
}

/**
 * CSP header of the console's zone preview document (admin listener): the placement's ad policy without its
 * script, images also from the console's own origin, where the preview links stored images (so the desktop app,
 * which adds CONSOLE_CSP to every admin answer, still shows them). The sandbox keeps the document's origin so
 * those image requests carry the session; nothing can run in it (no script source at all). Framed by the console only.
 */
export function zonePreviewCsp(deliveryOrigin: string): string {
  return policy([
    ...adDirectives(`'self' ${deliveryOrigin}`),
    "base-uri 'none'",
    "form-action 'none'",
    'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
    "frame-ancestors 'self'",
  ]);
}

/**
 * CSP (for a <meta> element) of an HTML creative inside its sandboxed srcdoc frame: it loads only
 * from the delivery server, and relative URLs resolve there. `origin` must already be escaped for
 * an HTML attribute.
 */
export function htmlCreativeCsp(origin: string): string {
  return policy([...adDirectives(origin), `base-uri ${origin}`, "form-action 'none'"]);
}

/**
 * The first-start setup page (ce-setup://, electron/setup/): its own bundled script and styles
 * only; it talks to nothing over the network (the main process probes the server).
 */
export const SETUP_CSP = policy([
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]);
