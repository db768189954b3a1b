import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A publisher's page on its own loopback origin, holding whatever ad tag the test pasted in. */
export interface PublisherPage {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/** Serves one HTML page with `tag` where the ad should appear. */
export async function startPublisherPage(tag: string): Promise<PublisherPage> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Publisher test page</title><link rel="icon" href="data:,"></head>
<body><h1>Local news</h1><p>Some article text.</p><div id="ad-slot">${tag}</div><p>More text.</p></body></html>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
