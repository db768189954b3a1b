import type { z } from 'zod';
import type { ErrorDetail } from './error-codes';

type Issue = z.core.$ZodIssue;
type DetailParams = NonNullable<ErrorDetail['params']>;

/**
 * A zod issue as a field detail: its path, the English message, its kind and the numbers that kind
 * names, so the console and the server's answer are translated the same way. Only what the schema
 * defines goes into params (limits, formats, check keys), never the input.
 */
export function fieldIssueDetail(issue: Issue, message: string = issue.message): Required<ErrorDetail> {
  return { path: issue.path.map(String).join('.') || '(body)', message, code: issue.code, params: issueParams(issue) };
}

function issueParams(issue: Issue): DetailParams {
  switch (issue.code) {
    case 'too_small':
      return { minimum: Number(issue.minimum), origin: issue.origin };
    case 'too_big':
      return { maximum: Number(issue.maximum), origin: issue.origin };
    case 'invalid_format':
      return { format: issue.format };
    case 'invalid_type':
      return { expected: issue.expected };
    case 'not_multiple_of':
      return { divisor: Number(issue.divisor) };
    case 'custom':
      return primitives(issue.params);
    default:
      return {};
  }
}

function primitives(params: Record<string, unknown> | undefined): DetailParams {
  const out: DetailParams = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
