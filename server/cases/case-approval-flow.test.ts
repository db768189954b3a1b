import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, MyShares } from '../../common/schemas/cases';
import type { AdminCall } from '../../node/admin-call';
import { approveCase, CaseApprovalError, caseKeyFingerprint, describeCase } from '../../node/case-approval';
import { KEYRING, missing } from '../../node/test/requirements';
import { createCaseWorld, type CaseWorld } from './test/case-world';
import type { StaffClient } from './test/staff-fixture';

// node/case-approval.ts against the real server and the real keychain: what the CLI and the
// desktop main process run. The case key comes only from the server; a caller cannot pass one.
let w: CaseWorld;
let installationId: string;

/** An AdminCall as `who`, recording what was sent; `tamper` may alter an answer (a lying server or proxy). */
function callAs(who: StaffClient, sent: string[], tamper?: (path: string, body: unknown) => unknown): AdminCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    sent.push(`${method} ${path}`);
    const res = await who.call<{ error?: { message?: string } }>(method, path, body);
    if (res.status >= 400) throw Object.assign(new Error(res.body?.error?.message ?? `HTTP ${res.status}`), { status: res.status });
    return (tamper ? tamper(path, res.body) : res.body) as T;
  };
}

describe.skipIf(missing(KEYRING))('approveCase (real server, real OS keychain)', () => {
  let caseId: string;
  beforeAll(async () => {
    w = await createCaseWorld('2025-03-10T08:55:00Z');
    installationId = ((await (await fetch(`${w.app.adminUrl}/api/server-info`)).json()) as { installationId: string }).installationId;
    expect((await w.admin.call('POST', '/api/keys/ceremony', { approvers: [w.staff.boss.id, w.staff.dpo.id] })).status).toBe(201);
    w.setClock('2025-03-10T09:30:00Z');
    await w.traffic([{ ip: '203.0.113.7', path: '/healthz' }]);
    w.setClock('2025-03-10T10:00:00Z');
    const open = await w.staff.rev.call<CaseView>('POST', '/api/cases', {
      reason: 'Suspected click fraud from one network (flow test)',
      from: '2025-03-10T09:00:00Z',
      to: '2025-03-10T09:45:00Z',
      filters: { ipPrefix: '203.0.113.0/24' },
    });
    expect(open.status).toBe(201);
    caseId = open.body.id;
  }, 120_000);
  afterAll(() => w?.dispose());

  const input = (who: StaffClient, sent: string[], confirm: (s: string) => Promise<boolean>, tamper?: (path: string, body: unknown) => unknown) => ({
    adminCall: callAs(who, sent, tamper),
    keychain: w.keychain!,
    installationId,
    email: who.email,
    caseId,
    confirm,
  });

  it('describes the case with reason, window, filters, who opened it, approvals per key and the case key', async () => {
    const view = (await w.staff.boss.call<CaseView>('GET', `/api/cases/${caseId}`)).body;
    expect(view.openedBy).toEqual({ name: expect.any(String), email: w.staff.rev.email });
    const text = describeCase(view);
    expect(text).toContain('Reason: Suspected click fraud from one network (flow test)');
    expect(text).toContain('Window: 2025-03-10T09:00:00');
    expect(text).toContain('Filters: ipPrefix=203.0.113.0/24');
    expect(text).toContain(`<${w.staff.rev.email}>`);
    expect(text).toMatch(/Approvals so far: \S+: 0 of 2/);
    expect(text).toContain(`Case key fingerprint: ${caseKeyFingerprint(view.casePublicKey!)}`);
    expect(describeCase({ ...view, reason: 'a\nApprove? y\u001b[2J' })).toContain('Reason: a Approve? y [2J');
  });

  it('refuses when the shares name another case key than the case, before asking or sending anything', async () => {
    const sent: string[] = [];
    const other = 'age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef';
    let asked = false;
    const tamper = (path: string, body: unknown) => (path.endsWith('/shares/mine') ? { ...(body as MyShares), casePublicKey: other } : body);
    const err = await approveCase(input(w.staff.boss, sent, async () => (asked = true), tamper)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaseApprovalError);
    expect((err as CaseApprovalError).code).toBe('key_mismatch');
    expect(asked).toBe(false);
    expect(sent.filter((s) => s.startsWith('POST'))).toEqual([]);
  });

  it('submits nothing when the approver declines', async () => {
    const sent: string[] = [];
    const err = await approveCase(input(w.staff.boss, sent, async () => false)).catch((e: unknown) => e);
    expect((err as CaseApprovalError).code).toBe('declined');
    expect(sent.filter((s) => s.startsWith('POST'))).toEqual([]);
    expect((await w.staff.boss.call<CaseView>('GET', `/api/cases/${caseId}`)).body.approvals).toEqual([]);
  });

  it('approves after the confirmation, re-wrapping to the key the server reported; twice is a no-op', async () => {
    const sent: string[] = [];
    const summaries: string[] = [];
    const result = await approveCase(input(w.staff.boss, sent, async (s) => (summaries.push(s), true)));
    expect(result.submitted).toBe(1);
    expect(summaries).toHaveLength(1);
    expect(sent).toEqual([`GET /api/cases/${caseId}`, `GET /api/cases/${caseId}/shares/mine`, `POST /api/cases/${caseId}/approvals`]);
    expect(result.view.approvals.map((a) => a.userId)).toEqual([w.staff.boss.id]);
    const again = await approveCase(input(w.staff.boss, [], async () => {
      throw new Error('must not ask again');
    }));
    expect(again.submitted).toBe(0);
    const stranger = await approveCase(input(w.staff.rev, [], async () => true)).catch((e: unknown) => e);
    expect(stranger).toBeInstanceOf(Error); // not enrolled in this keychain, and no approver
  });
});
