import FindMyWay, { type HTTPMethod } from 'find-my-way';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http-error';

/** What a handler receives: the raw request/response, path params and the parsed query. */
export interface RouteContext<S = unknown> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Per-listener state (the admin listener puts the signed-in session here). */
  state: S;
}

export type RouteHandler<S = unknown> = (ctx: RouteContext<S>) => unknown | Promise<unknown>;

/** A thin typed wrapper over find-my-way: one handler per method and path. */
export class Router<S = unknown> {
  private readonly fmw = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 200, caseSensitive: true });
  private readonly registered: Array<{ method: HTTPMethod; path: string }> = [];

  on(method: HTTPMethod | HTTPMethod[], path: string, handler: RouteHandler<S>): this {
    this.fmw.on(method, path, handler as never);
    for (const m of Array.isArray(method) ? method : [method]) this.registered.push({ method: m, path });
    return this;
  }
  /** Every method and path registered, in order (for tests that must reach every route). */
  routes(): ReadonlyArray<{ method: HTTPMethod; path: string }> {
    return this.registered;
  }
  get(path: string, handler: RouteHandler<S>) { return this.on('GET', path, handler); }
  post(path: string, handler: RouteHandler<S>) { return this.on('POST', path, handler); }
  patch(path: string, handler: RouteHandler<S>) { return this.on('PATCH', path, handler); }
  put(path: string, handler: RouteHandler<S>) { return this.on('PUT', path, handler); }
  delete(path: string, handler: RouteHandler<S>) { return this.on('DELETE', path, handler); }

  /** Finds the handler for a request; throws 404/405 HttpErrors when none matches. */
  match(method: string, path: string): { handler: RouteHandler<S>; params: Record<string, string> } {
    const found = this.fmw.find(method as HTTPMethod, path);
    if (found) return { handler: found.handler as unknown as RouteHandler<S>, params: found.params as Record<string, string> };
    if (method !== 'OPTIONS') {
      for (const other of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
        if (other !== method && this.fmw.find(other, path)) {
          throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on this path.`);
        }
      }
    }
    throw new HttpError(404, 'not_found', 'No such endpoint.');
  }
}
