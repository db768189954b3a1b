import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, MyShares, UnsealedRecord } from '../../common/schemas/cases';
import { createCaseWorld, IDS, waitForCase, type CaseWorld } from './test/case-world';
import type { StaffClient } from './test/staff-fixture';

type Mine = MyShares;

let w: CaseWorld;
const REASON = 'Publisher reports impossible traffic on one placement';
const WINDOW = { from: '2025-06-02T10:00:00Z', to: '2025-06-02T11:00:00Z' };

beforeAll(async () => {
  w = await createCaseWorld('2025-06-02T09:00:00Z');
  expect((await w.admin.call('POST', '/api/keys/ceremony', {})).status).toBe(201);
  w.setClock('2025-06-02T10:15:00Z');
  await w.traffic([
    { ip: '192.0.2.1', path: `/v1/zone/${IDS.zoneX}.js` },
    { ip: '192.0.2.2', path: `/v1/zone/${IDS.zoneY}.js` },
    { ip: '192.0.2.3', path: `/v1/decision?zone=${IDS.zoneX}&kw=news` },
    { ip: '192.0.2.4', path: '/healthz' },
  ]);
  w.setClock('2025-06-02T11:30:00Z');
  await w.resignIn(); // sessions end after 2 h idle on the test clock
});
afterAll(() => w?.dispose());

async function approveAs(who: StaffClient, id: string): Promise<{ status: number; body: CaseView & { error?: { message: string } } }> {
  const mine = await who.call<Mine>('GET', `/api/cases/${id}/shares/mine`);
  if (mine.status !== 200) return mine as never;
  const s = mine.body.shares[0]!;
  const rewrappedShare = await w.rewrap(who, s.encryptedShare, mine.body.casePublicKey);
  return who.call('POST', `/api/cases/${id}/approvals`, { keyId: s.keyId, rewrappedShare });
}

let involved: string;

describe('a case affecting a customer', () => {
  it('requires the customer’s involvement before approvals', async () => {
    const res = await w.staff.rev.call<CaseView>('POST', '/api/cases', { reason: REASON, ...WINDOW, filters: { zoneId: IDS.zoneX }, affectedCustomerId: IDS.customer });
    expect(res.status).toBe(201);
    involved = res.body.id;
    const early = await approveAs(w.staff.boss, involved);
    expect(early.status).toBe(409);
    expect(early.body.error!.message).toContain('involvement');
    const path = `/api/cases/${involved}/customer-involvement`;
    expect((await w.staff.boss.call('POST', path, { note: 'Called the publisher' })).status).toBe(403);
    expect((await w.staff.rev.call('POST', path, { note: '' })).status).toBe(400);
    const ok = await w.staff.rev.call<CaseView>('POST', path, { note: 'Publisher informed by phone; they asked for the analysis' });
    expect(ok.status).toBe(200);
    expect(ok.body.customerInvolvement).toMatchObject({ by: w.staff.rev.id });
    expect((await w.staff.rev.call('POST', path, { note: 'again and again' })).status).toBe(409);
  });

  it('then unseals only the zone’s records', async () => {
    expect((await approveAs(w.staff.boss, involved)).status).toBe(200);
    expect((await approveAs(w.staff.dpo, involved)).status).toBe(200);
    expect(await waitForCase<CaseView>(w.staff.rev, involved)).toMatchObject({ status: 'ready', resultCount: 2 });
    const res = await w.staff.rev.call<{ items: UnsealedRecord[] }>('GET', `/api/cases/${involved}/records`);
    expect(res.body.items.map((r) => r.ip).sort()).toEqual(['192.0.2.1', '192.0.2.3']);
  });

  it('needs a customer that exists', async () => {
    const res = await w.staff.rev.call('POST', '/api/cases', { reason: REASON, ...WINDOW, affectedCustomerId: 'cus_nobodynobodynobo' });
    expect(res.status).toBe(400);
  });
});

describe('restart and expiry', () => {
  let pending: string;

  it('a restart loses case keys and results: open cases start over with a notice', async () => {
    const res = await w.staff.rev.call<CaseView>('POST', '/api/cases', { reason: REASON, ...WINDOW, filters: { siteId: IDS.site } });
    pending = res.body.id;
    expect((await approveAs(w.staff.boss, pending)).status).toBe(200);
    const keyBefore = (await w.staff.rev.call<CaseView>('GET', `/api/cases/${pending}`)).body.casePublicKey;
    await w.restart();
    const after = (await w.staff.rev.call<CaseView>('GET', `/api/cases/${pending}`)).body;
    expect(after).toMatchObject({ status: 'awaiting_approval', approvals: [] });
    expect(after.notice).toContain('restarted');
    expect(after.casePublicKey).not.toBe(keyBefore);
    const wasReady = (await w.staff.rev.call<CaseView>('GET', `/api/cases/${involved}`)).body;
    expect(wasReady).toMatchObject({ status: 'awaiting_approval', approvals: [], resultCount: null });
    expect((await w.staff.rev.call('GET', `/api/cases/${involved}/records`)).status).toBe(409);
    // Approving again works with the new case key; site filter = both zones of the site.
    expect((await approveAs(w.staff.boss, pending)).status).toBe(200);
    expect((await approveAs(w.staff.dpo, pending)).status).toBe(200);
    expect(await waitForCase<CaseView>(w.staff.rev, pending)).toMatchObject({ status: 'ready', resultCount: 3 });
    const audit = await w.admin.call<{ items: Array<{ action: string; target: string }> }>('GET', '/api/audit?action=case.reset');
    expect(audit.body.items.map((e) => e.target).sort()).toEqual([involved, pending].sort());
  });

  it('expires cases after the configured time and deletes their results', async () => {
    w.setClock('2025-06-09T12:00:00Z'); // more than 7 days later
    await w.resignIn();
    const view = (await w.staff.rev.call<CaseView>('GET', `/api/cases/${pending}`)).body;
    expect(view).toMatchObject({ status: 'expired', resultCount: null, expiresAt: null });
    expect((await w.staff.rev.call('GET', `/api/cases/${pending}/records`)).status).toBe(409);
    const list = await w.staff.rev.call<{ items: CaseView[] }>('GET', '/api/cases?status=expired');
    expect(list.body.items.map((c) => c.id)).toContain(involved);
    const audit = await w.admin.call<{ items: Array<{ action: string; actor: string }> }>('GET', '/api/audit?action=case.expire');
    expect(audit.body.items.every((e) => e.actor === 'system')).toBe(true);
    expect(audit.body.items.length).toBe(2);
  });
});
