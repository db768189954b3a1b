import { z } from 'zod';
import type { AuditPage, AuditVerification } from '../../common/schemas/audit';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { parseWith } from '../http/body';
import type { Router } from '../http/router';

const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
  action: z
    .string()
    .trim()
    .regex(/^[a-z_]+(\.[a-z_]*)?$/, 'Expected an action or action prefix like case. or case.approve.')
    .optional(),
});

/** GET /api/audit (newest first, paged by `before` = seq) and GET /api/audit/verify. */
export function registerAuditRoutes(ctx: AppContext, admin: Router<AdminState>): void {
  adminRoute(admin, 'GET /api/audit', ({ query }): AuditPage => {
    const q = parseWith(auditQuerySchema, Object.fromEntries(query));
    const items = ctx.audit.list({ limit: q.limit, beforeSeq: q.before, actionPrefix: q.action });
    const last = items[items.length - 1];
    return { items, nextBefore: items.length === q.limit && last && last.seq > 1 ? last.seq : null };
  });

  adminRoute(admin, 'GET /api/audit/verify', (): AuditVerification => {
    const result = ctx.audit.verify();
    if (result.ok) return { ok: true, count: result.count };
    return { ok: false, count: result.count, badSeq: result.badSeq, reason: result.reason };
  });
}
