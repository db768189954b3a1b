import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import { sendJson, sendJsonText } from './respond';

/** Bodies below this many bytes go out as they are: compressing them saves less than it costs. */
export const COMPRESS_MIN_BYTES = 8 * 1024;
/**
 * Brotli quality 1 / gzip level 1, off the event loop: 7 days hourly by customer (666 KiB of JSON)
 * goes out as 48 / 50 KiB for 1–3 ms of CPU (bench:stats); quality 4 saved another third of the
 * bytes for 5–10 ms more, which a report on the local network pays and does not gain back.
 */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } };
const GZIP = { level: 1 };

/** The encoding to answer in from an Accept-Encoding header: br before gzip, none when neither is accepted (q=0 refuses). */
export function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | null {
  if (!accept) return null;
  const accepted = new Set<string>();
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name) accepted.add(name.trim());
  }
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : null;
}

/**
 * Sends a JSON body as sendJson does, compressed (brotli or gzip, on the thread pool) when it is
 * large and the client accepts it; `vary: accept-encoding` on every such answer. For the admin and
 * portal listeners (the console's reports run to megabytes), never the delivery listener.
 */
export function sendJsonCompressed(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void | Promise<void> {
  const payload = body === undefined || status === 204 ? '' : JSON.stringify(body);
  const bytes = Buffer.byteLength(payload);
  const encoding = bytes >= COMPRESS_MIN_BYTES ? chooseEncoding(req.headers['accept-encoding']) : null;
  if (!encoding) {
    sendJsonText(res, status, payload, headers, bytes >= COMPRESS_MIN_BYTES ? 'accept-encoding' : undefined);
    return;
  }
  return new Promise<void>((resolve) => {
    const done = (err: Error | null, compressed: Buffer) => {
      // The client may have gone meanwhile; a failure (it should not happen) sends the body as it is.
      if (res.destroyed || res.writableEnded) return resolve();
      if (err) {
        sendJson(res, status, body, headers);
        return resolve();
      }
      res.statusCode = status;
      if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res.setHeader('vary', 'accept-encoding');
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-encoding', encoding);
      res.setHeader('content-length', compressed.length);
      res.end(compressed);
      resolve();
    };
    if (encoding === 'br') zlib.brotliCompress(payload, BROTLI, done);
    else zlib.gzip(payload, GZIP, done);
  });
}
