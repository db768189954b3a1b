import { z } from 'zod';
import type { Customer } from '../../common/schemas/customer';
import { isId, type IdKind } from '../../common/schemas/ids';
import { listQuerySchema } from '../../common/schemas/paging';
import type { AppContext } from '../app-context';
import { parseWith } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import type { AuditAction } from '../../common/schemas/audit';

/** Parses `?limit&offset&q` plus entity-specific filters; unknown parameters are ignored. */
export function parseListQuery<E extends z.ZodRawShape>(query: URLSearchParams, filters: E) {
  return parseWith(listQuerySchema.extend(filters), Object.fromEntries(query));
}

/** Loads an entity by id; a malformed id is answered like an unknown one (404), without a query. */
export function findOr404<T>(kind: IdKind, id: string | undefined, get: (id: string) => T | null, what: string): T {
  const found = isId(kind, id) ? get(id) : null;
  if (!found) throw notFound(what);
  return found;
}

/** A referenced entity in a request body that does not exist. */
export function missingReference(what: string, field: string): HttpError {
  return new HttpError(404, 'not_found', `${what} named in ${field} was not found.`, [{ path: field, message: 'No such id.', code: 'custom', params: { key: 'unknownId' } }]);
}

/** Refuses processing for a restricted customer account (after a deletion request). */
export function assertCustomerActive(customer: Customer): void {
  if (customer.status === 'restricted') {
    throw new HttpError(423, 'locked', 'This customer account is restricted after a deletion request: its data cannot be changed or used for delivery.');
  }
}

/** The fields a patch sets (drops the absent ones, keeps null, which clears). */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Names of the fields a patch actually changes (compared by value). */
export function changedFields<T extends object>(before: T, after: T, candidates: ReadonlyArray<keyof T>): string[] {
  return candidates.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map(String);
}

/**
 * Runs a change and its audit entry in one transaction, then tells delivery to rebuild its index
 * (only the campaign `campaign` names, when the change touches that one campaign only).
 * The audit entry names the changed fields only, never their values.
 */
export function commitChange<T>(
  ctx: AppContext,
  change: { actor: string; action: AuditAction; entity: string; target: (result: T) => string; fields: (result: T) => string[]; campaign?: (result: T) => string },
  write: () => T,
): T {
  const result = ctx.db.transaction(() => {
    const value = write();
    ctx.audit.append({ actor: change.actor, action: change.action, target: change.target(value), details: { fields: change.fields(value) } });
    return value;
  }).immediate();
  ctx.events.emit('data-changed', change.campaign ? { what: change.entity, campaignId: change.campaign(result) } : { what: change.entity });
  return result;
}

/** 409 for a change to an archived thing (or one inside an archived thing): restore it first. */
export function archivedError(kind: 'site' | 'zone' | 'campaign' | 'creative'): HttpError<'archived'> {
  return new HttpError(409, 'archived', `The ${kind} is archived: restore it before changing it.`, undefined, undefined, { kind });
}

/** A size as people write it ('300×250'), in messages and error params. */
export const sizeLabel = (width: number, height: number): string => `${width}×${height}`;
