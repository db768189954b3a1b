import { z } from 'zod';
import { approvalSchema, caseCreateSchema, caseExportQuerySchema, caseRecordsQuerySchema, customerInvolvementSchema } from '../../common/schemas/cases';
import { adminRoute, type AdminState } from '../admin/admin-route';
import { parseWith, readJson } from '../http/body';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { approveCase, sharesFor } from './case-approval';
import { casesWaitingFor, closeCase, createCase, findCase, listCases, recordInvolvement, resultsFor } from './case-service';
import { pageRecords, streamExport } from './case-results';
import { caseView, type CaseContext } from './case-state';

const listSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(['awaiting_approval', 'ready', 'closed', 'expired']).optional(),
});

/** The cases API (CONTRACT.md): open, list, show, involve the customer, approve, read, export, close. */
export function registerCaseRoutes(c: CaseContext, admin: Router<AdminState>): void {
  adminRoute(admin, 'POST /api/cases', async ({ req }, session) => reply(201, await createCase(c, await readJson(req, caseCreateSchema), session)));

  adminRoute(admin, 'GET /api/cases', ({ query }) => listCases(c, parseWith(listSchema, Object.fromEntries(query))));

  adminRoute(admin, 'GET /api/cases/waiting-for-me', (_ctx, session) => casesWaitingFor(c, session.userId));

  adminRoute(admin, 'GET /api/cases/:id', ({ params }) => caseView(c, findCase(c, params.id)));

  adminRoute(admin, 'POST /api/cases/:id/customer-involvement', async ({ req, params }, session) => {
    const { note } = await readJson(req, customerInvolvementSchema);
    return recordInvolvement(c, params.id, note, session);
  });

  adminRoute(admin, 'GET /api/cases/:id/shares/mine', ({ params }, session) => sharesFor(c, params.id, session));

  adminRoute(admin, 'POST /api/cases/:id/approvals', async ({ req, params }, session) => {
    const input = await readJson(req, approvalSchema);
    return approveCase(c, params.id, input, session);
  });

  adminRoute(admin, 'GET /api/cases/:id/records', async ({ params, query }, session) => {
    const q = parseWith(caseRecordsQuerySchema, Object.fromEntries(query));
    const { rec, records, truncated } = resultsFor(c, params.id, session);
    const page = await pageRecords(records, q);
    c.audit.append({
      actor: session.userId,
      action: 'case.view_records',
      target: rec.id,
      details: { offset: q.offset, limit: q.limit, returned: page.items.length, filters: ['ip', 'path', 'status'].filter((k) => q[k as keyof typeof q] !== undefined) },
    });
    return reply(200, { ...page, limit: q.limit, offset: q.offset, truncated }, { 'cache-control': 'no-store' });
  });

  adminRoute(admin, 'GET /api/cases/:id/export', async ({ params, query, res }, session) => {
    const { format } = parseWith(caseExportQuerySchema, Object.fromEntries(query));
    const { rec, records } = resultsFor(c, params.id, session);
    c.audit.append({ actor: session.userId, action: 'case.export', target: rec.id, details: { format, records: records.count } });
    await streamExport(res, rec, records, format);
  });

  adminRoute(admin, 'POST /api/cases/:id/close', ({ params }, session) => closeCase(c, params.id, session));
}
