import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { HttpError } from './http-error';
import { sendError, sendJson } from './respond';
import { sendJsonCompressed } from './compress';
import type { RouteContext, Router } from './router';
import type { Logger } from '../log/logger';

/** A handler's explicit answer: status, JSON body (or none) and headers. */
export class Reply {
  constructor(readonly status: number, readonly body?: unknown, readonly headers?: Record<string, string>) {}
}
/** Builds a Reply; handlers may also return a plain value (200 JSON) or write `res` themselves. */
export const reply = (status: number, body?: unknown, headers?: Record<string, string>) => new Reply(status, body, headers);

/**
 * The listeners' response class: two fields the hot path sets instead of closures and header maps.
 * `peer` is the socket's remote address read when the request arrived (the finish hook's `peer`);
 * `sentLength` is the content-length of a response written with `writeHead(status, headerArray)`
 * (see sendHeaderBlock), which `getHeader` cannot see; -1 when the response was not written so.
 */
export class ListenerResponse extends http.ServerResponse {
  peer = '';
  sentLength = -1;
}

/**
 * Marks a handler that writes every header of its responses itself, the listener's own (security)
 * headers included, in one `writeHead` call (sendHeaderBlock): the listener then sets none before
 * it. When such a handler throws, the error answer still gets the listener's headers.
 */
export function ownHeaders<H extends (...args: never[]) => unknown>(handler: H): H {
  (handler as { ownHeaders?: boolean }).ownHeaders = true;
  return handler;
}

/**
 * Writes a complete response in one `writeHead`: `head` is a precomputed flat [name, value, …]
 * list whose last pair is `content-length` (its value is set here; writeHead reads the list at
 * once, so one list serves every request). The length is kept on the response for the access record.
 */
export function sendHeaderBlock(res: ServerResponse, status: number, head: Array<string | number>, body: string | Buffer, bytes: number): void {
  head[head.length - 1] = bytes;
  (res as ListenerResponse).sentLength = bytes;
  res.writeHead(status, head as string[]);
  res.end(body);
}

export interface ListenerOptions<S> {
  name: string;
  router: Router<S>;
  log: Logger;
  /** Sets per-response headers (security headers) before routing; not for handlers marked ownHeaders (they write them). */
  applyHeaders(res: ServerResponse): void;
  /** Creates the per-request state; may throw an HttpError (e.g. rate limit). */
  createState(req: IncomingMessage, res: ServerResponse): S;
  /**
   * Called once per request after the response is finished or aborted (access logging): at once when
   * the handler ended the response synchronously, else when it closes. `peer` is the socket's remote
   * address read when the request arrived: by the time the response closes the socket may be gone.
   * Whatever it throws is caught and logged; it never reaches the process.
   */
  onFinish?(req: IncomingMessage, res: ServerResponse, peer: string): void;
  /** Answers paths that no route matches (static files); returns false to fall through to 404. */
  fallback?(req: IncomingMessage, res: ServerResponse, path: string): boolean | Promise<boolean>;
  /** PEM certificate and key: serve HTTPS natively (the pair can be swapped later with setSecureContext). */
  tls?: { cert: string; key: string };
  /** Compress large JSON answers when the client accepts it (compress.ts): the admin and portal listeners, not delivery. */
  compressJson?: boolean;
}

/** A listener's server: node:http, or node:https under native TLS. */
export type NodeServer = http.Server | https.Server;

/** Limits that keep slow or huge clients from exhausting the server. */
export const LISTENER_LIMITS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderSize: 16 * 1024,
  maxRequestsPerSocket: 10_000,
};

/** Creates a node:http (or, with `tls`, node:https) server that routes, applies headers and turns every failure into JSON. */
export function createListener<S>(options: ListenerOptions<S>): NodeServer {
  const { router, log } = options;
  const limits = { maxHeaderSize: LISTENER_LIMITS.maxHeaderSize, requestTimeout: LISTENER_LIMITS.requestTimeoutMs, headersTimeout: LISTENER_LIMITS.headersTimeoutMs, keepAliveTimeout: LISTENER_LIMITS.keepAliveTimeoutMs };
  // One close handler for every response (no closure per request); `this` is the response.
  function onClose(this: ListenerResponse) {
    try {
      onFinish!(this.req, this, this.peer);
    } catch (err) {
      // Runs from the response's close event: a throw here would stop the whole process.
      log.error('per-request finish hook failed', { listener: options.name, error: errorName(err) });
    }
  }
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (onFinish) (res as ListenerResponse).peer = req.socket.remoteAddress ?? '';
    try {
      const pending = handle(req, res);
      if (pending) pending.catch((err: unknown) => answerError(res, err));
    } catch (err) {
      answerError(res, err);
    }
    if (!onFinish) return;
    // A response ended within this call (every delivery answer) is complete: record it now rather
    // than from a close listener, which costs a listener and an event per request. Anything still
    // open (a promise, a stream, a slow body) is recorded when it closes, aborted ones included.
    if (res.writableEnded) onClose.call(res as ListenerResponse);
    else res.on('close', onClose);
  };
  // Typed as the base class: node's typings cannot express a subclass whose `req` is not generic.
  const serverOptions = { ...limits, ServerResponse: ListenerResponse as unknown as typeof http.ServerResponse };
  const server: NodeServer = options.tls
    ? https.createServer({ ...serverOptions, cert: options.tls.cert, key: options.tls.key, minVersion: 'TLSv1.2' }, onRequest)
    : http.createServer(serverOptions, onRequest);
  if (server instanceof https.Server) {
    // A failed handshake (a port scanner, a client speaking plain HTTP) is the client's business.
    server.on('tlsClientError', (err, socket) => {
      log.debug?.('TLS handshake failed', { listener: options.name, error: (err as NodeJS.ErrnoException).code ?? err.name });
      socket.destroy();
    });
  }
  const { onFinish } = options;
  /** sendError, but never throwing: a response that cannot even carry an error is dropped. */
  const answerError = (res: ServerResponse, err: unknown) => {
    try {
      // A handler marked ownHeaders (or a request refused before routing) has set none yet.
      if (!res.headersSent) options.applyHeaders(res);
      sendError(res, err, log);
    } catch (failure) {
      log.error('could not send an error response', { listener: options.name, error: errorName(failure) });
      res.destroy();
    }
  };
  server.maxRequestsPerSocket = LISTENER_LIMITS.maxRequestsPerSocket;
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    try {
      if (socket.writable) socket.end(clientErrorResponse(err.code, err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD '));
      else socket.destroy();
    } catch {
      socket.destroy();
    }
  });

  // The hot path stays synchronous unless a handler returns a promise: delivery
  // handlers are synchronous, and an async function per request costs measurable throughput.
  function handle(req: IncomingMessage, res: ServerResponse): void | Promise<void> {
    const url = req.url ?? '/';
    if (url.length > 4096) throw new HttpError(414, 'bad_request', 'The URL is too long.');
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    let matched;
    try {
      matched = router.match(req.method ?? 'GET', path);
    } catch (err) {
      if (err instanceof HttpError && err.status === 404 && options.fallback && (req.method === 'GET' || req.method === 'HEAD')) {
        options.applyHeaders(res);
        return Promise.resolve(options.fallback(req, res, path)).then((served) => {
          if (!served) throw err;
        });
      }
      throw err;
    }
    const state = options.createState(req, res);
    if ((matched.handler as { ownHeaders?: boolean }).ownHeaders !== true) options.applyHeaders(res);
    const ctx = new Context<S>(req, res, matched.params, q === -1 ? '' : url.slice(q + 1), state);
    return finish(res, matched.handler(ctx), options.compressJson ? req : null);
  }

  return server;
}

/** An error's class and message for the log: never the request's data. */
function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown';
}

/** The raw answer to a request node:http could not parse: the same JSON error shape as every other error. */
function clientErrorResponse(code: string | undefined, head: boolean): string {
  const [status, reason, error] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', { code: 'bad_request', message: 'The request headers are too large.' }]
      : code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', { code: 'bad_request', message: 'The request took too long to arrive.' }]
        : [400, 'Bad Request', { code: 'bad_request', message: 'The request is not valid HTTP (e.g. the URL holds unencoded characters).' }];
  const body = JSON.stringify({ error });
  return `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${head ? '' : body}`;
}

/** Sends what a handler returned, awaiting it only when it is a promise; compressed where `compressFor` (the request) is given. */
function finish(res: ServerResponse, result: unknown, compressFor: IncomingMessage | null): void | Promise<void> {
  if (result instanceof Promise) return result.then((value) => finish(res, value, compressFor));
  if (res.writableEnded) return;
  const [status, body, headers] = result instanceof Reply ? [result.status, result.body, result.headers] : result === undefined ? [204, undefined, undefined] : [200, result, undefined];
  if (compressFor) return sendJsonCompressed(compressFor, res, status, body, headers);
  sendJson(res, status, body, headers);
}

/** Route context whose query string is parsed only when a handler asks for it. */
class Context<S> implements RouteContext<S> {
  private parsed: URLSearchParams | undefined;
  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly params: Record<string, string>,
    private readonly rawQuery: string,
    readonly state: S,
  ) {}
  get query(): URLSearchParams {
    return (this.parsed ??= new URLSearchParams(this.rawQuery));
  }
}


/** Starts listening and resolves with the bound address (port 0 picks a free port). */
export function listen(server: NodeServer, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Stops accepting connections and closes idle ones; resolves when all requests have finished (or after `graceMs`). */
export function close(server: NodeServer, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** URL for a bound address, bracketing IPv6 hosts. */
export function urlOf(address: AddressInfo, scheme = 'http'): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`;
}
