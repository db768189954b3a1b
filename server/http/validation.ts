import type { z } from 'zod';
import { HttpError } from './http-error';

/** Turns a zod error into a 400 naming the fields and what is wrong, never echoing the values. */
export function validationError(error: z.ZodError): HttpError {
  const details = error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const first = details[0];
  const message = first ? `Invalid input: ${first.path}: ${first.message}` : 'Invalid input.';
  return new HttpError(400, 'validation_failed', message, details);
}
