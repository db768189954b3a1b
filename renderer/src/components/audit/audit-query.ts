import { AUDIT_TARGET_KINDS, type AuditTargetKind } from '../../../../common/schemas/audit';
import type { AuditFilters } from '../../stores/audit';

/** The audit filters as the form and the page's URL hold them: local dates (inclusive), '' for none. */
export interface AuditForm {
  actor: string;
  action: string;
  targetKind: AuditTargetKind | '';
  target: string;
  from: string;
  to: string;
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The form from a query string; anything unknown is left out (the server checks the rest). */
export function auditFormFromQuery(q: Record<string, unknown>): AuditForm {
  const kind = text(q.targetKind);
  return {
    actor: text(q.actor),
    action: text(q.action),
    targetKind: (AUDIT_TARGET_KINDS as readonly string[]).includes(kind) ? (kind as AuditTargetKind) : '',
    target: text(q.target),
    from: isDate(q.from) ? q.from : '',
    to: isDate(q.to) ? q.to : '',
  };
}

/** The query string of a form: only the filters that are set. */
export function queryOfAuditForm(f: AuditForm): Record<string, string> {
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));
}

// Local midnight of a date (plus days), so a range covers whole local days.
const instant = (date: string, plusDays = 0) => {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

/** What GET /api/audit takes for a form: `to` is the local midnight after the last day. */
export function auditFilters(f: AuditForm): AuditFilters {
  return {
    actor: f.actor.trim() || undefined,
    action: f.action || undefined,
    targetKind: f.targetKind || undefined,
    target: f.target.trim() || undefined,
    from: f.from ? instant(f.from) : undefined,
    to: f.to ? instant(f.to, 1) : undefined,
  };
}
