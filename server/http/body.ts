import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { HttpError, payloadTooLarge } from './http-error';
import { validationError } from './validation';

/** Default cap for JSON request bodies. */
export const JSON_BODY_LIMIT = 64 * 1024;

/** Reads the whole body, refusing more than `limit` bytes with 413 (checked before and while reading). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    throw payloadTooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        throw payloadTooLarge(limit);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof HttpError) throw err;
    // The stream fails only when the client goes away mid-body: its mistake, not the server's.
    throw new HttpError(400, 'request_aborted', 'The request body did not arrive completely.', undefined, { connection: 'close' });
  }
  return Buffer.concat(chunks, size);
}


/** Reads a JSON body and validates it with a zod schema. */
export async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S, limit = JSON_BODY_LIMIT): Promise<z.output<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with content-type: application/json.');
  }
  const raw = await readBody(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  return parseWith(schema, value);
}

/** Validates any value (query, params, body) with a schema, turning failures into a 400 with field details. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
