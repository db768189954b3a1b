import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Creative Engine</title></head>
<body><h1>Creative Engine</h1><p>The console has not been built. Run <code>npm run build</code>, then reload.</p></body></html>`;

/**
 * Serves the built console: files under `dir` as they are (hashed assets cached for a year), any
 * other path the SPA's index.html. Never serves anything outside `dir`.
 */
export async function serveConsoleFile(dir: string, req: IncomingMessage, res: ServerResponse, urlPath: string): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  const root = path.resolve(dir);
  const candidate = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  const inside = candidate === root || candidate.startsWith(root + path.sep);
  let file = inside ? candidate : '';
  let stat = file ? await fs.promises.stat(file).catch(() => null) : null;
  if (!stat?.isFile()) {
    // Missing files with an extension are real 404s; anything else is a client-side route.
    if (path.extname(decoded)) return false;
    file = path.join(root, 'index.html');
    stat = await fs.promises.stat(file).catch(() => null);
    if (!stat?.isFile()) {
      res.setHeader('content-type', TYPES['.html']!);
      res.setHeader('cache-control', 'no-store');
      res.end(req.method === 'HEAD' ? undefined : FALLBACK_PAGE);
      return true;
    }
  }
  const ext = path.extname(file);
  res.setHeader('content-type', TYPES[ext] ?? 'application/octet-stream');
  res.setHeader('content-length', stat.size);
  res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = fs.createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
  return true;
}
