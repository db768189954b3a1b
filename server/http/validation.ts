import type { z } from 'zod';
import { fieldIssueDetail } from '../../common/field-issue';
import { HttpError } from './http-error';

/** Turns a zod error into a 400 naming the fields and what is wrong (kind and limits too), never echoing the values. */
export function validationError(error: z.ZodError): HttpError {
  const details = error.issues
    .slice(0, 20)
    .map((issue) => fieldIssueDetail(issue, issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys) : issue.message));
  const first = details[0];
  const message = first ? `Invalid input: ${first.path}: ${first.message}` : 'Invalid input.';
  return new HttpError(400, 'validation_failed', message, details);
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

/**
 * zod's message quotes every unknown key, and keys are the caller's input (any text, thousands of
 * them): name a few when they look like field names, else only count them.
 */
function unknownKeysMessage(keys: readonly string[]): string {
  if (keys.length <= 5 && keys.every((k) => FIELD_NAME.test(k))) return `Unknown field${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}.`;
  return `${keys.length} unknown field${keys.length === 1 ? '' : 's'}; send only the documented fields.`;
}
