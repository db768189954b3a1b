import { describe, expect, it } from 'vitest';
import { auditFilters, auditFormFromQuery, queryOfAuditForm } from '../src/components/audit/audit-query';

describe('audit filters in the URL', () => {
  it('reads known filters from the query, drops malformed ones and writes back only what is set', () => {
    const form = auditFormFromQuery({ actor: ' usr_abc ', action: 'campaign.create', targetKind: 'planet', target: 'cmp_x', from: '2026-01-10', to: 'tomorrow' });
    expect(form).toEqual({ actor: 'usr_abc', action: 'campaign.create', targetKind: '', target: 'cmp_x', from: '2026-01-10', to: '' });
    expect(queryOfAuditForm(form)).toEqual({ actor: 'usr_abc', action: 'campaign.create', target: 'cmp_x', from: '2026-01-10' });
    expect(auditFormFromQuery({ targetKind: 'zone' }).targetKind).toBe('zone');
  });

  it('turns local dates into instants covering whole days, the last day included', () => {
    const f = auditFilters({ actor: '', action: '', targetKind: 'campaign', target: '', from: '2026-03-28', to: '2026-03-29' });
    expect(f.targetKind).toBe('campaign');
    expect(f.actor).toBeUndefined();
    expect(new Date(f.from!).getTime()).toBe(new Date(2026, 2, 28).getTime());
    expect(new Date(f.to!).getTime()).toBe(new Date(2026, 2, 30).getTime());
  });
});
