import { z } from 'zod';
import { AUDIT_ACTION_LIST, AUDIT_TARGET_KINDS, auditActionsOfKind, isAuditAction, type AuditPage, type AuditVerification } from '../../common/schemas/audit';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { parseWith } from '../http/body';
import type { Router } from '../http/router';

const isoTime = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2025-01-31T12:00:00Z.' }).transform((v) => new Date(v).toISOString());
// Ids, 'system' and 'cli': letters, digits, '-' and '_' only.
const idLike = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/, 'Expected an id (letters, digits, - and _).');

const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.coerce.number().int().min(1).optional(),
    action: z
      .string()
      .trim()
      .refine((a) => isAuditAction(a) || (/^[a-z_]+\.$/.test(a) && AUDIT_ACTION_LIST.some((k) => k.startsWith(a))), 'Expected an action of the audit catalogue or a prefix like case.')
      .optional(),
    actor: idLike.optional(),
    targetKind: z.enum(AUDIT_TARGET_KINDS).optional(),
    target: idLike.optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'The start must be before the end.', path: ['to'] });

/** GET /api/audit (newest first, paged by `before` = seq; filters by action, person, object and time) and GET /api/audit/verify. */
export function registerAuditRoutes(ctx: AppContext, admin: Router<AdminState>): void {
  adminRoute(admin, 'GET /api/audit', ({ query }): AuditPage => {
    const q = parseWith(auditQuerySchema, Object.fromEntries(query));
    const items = ctx.audit.list({
      limit: q.limit,
      beforeSeq: q.before,
      actionPrefix: q.action,
      actions: q.targetKind ? auditActionsOfKind(q.targetKind) : undefined,
      actor: q.actor,
      target: q.target,
      from: q.from,
      to: q.to,
    });
    const last = items[items.length - 1];
    return { items, nextBefore: items.length === q.limit && last && last.seq > 1 ? last.seq : null };
  });

  adminRoute(admin, 'GET /api/audit/verify', (): AuditVerification => {
    const result = ctx.audit.verify();
    if (result.ok) return { ok: true, count: result.count };
    return { ok: false, count: result.count, badSeq: result.badSeq, reason: result.reason };
  });
}
