import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CasesWaiting, CaseView, MyShares } from '../../common/schemas/cases';
import { createCaseWorld, type CaseWorld } from './test/case-world';

let w: CaseWorld;
let caseId: string;
let keyId: string;

beforeAll(async () => {
  w = await createCaseWorld('2025-03-10T08:55:00Z');
  w.setClock('2025-03-10T09:05:00Z');
  const ceremony = await w.admin.call<{ keyId: string }>('POST', '/api/keys/ceremony', { approvers: [w.staff.boss.id, w.staff.dpo.id] });
  expect(ceremony.status).toBe(201);
  keyId = ceremony.body.keyId;
  w.setClock('2025-03-10T09:30:00Z');
  await w.traffic([{ ip: '203.0.113.7', path: '/v1/zone/zon_xxxxxxxxxxxxxxxx.js' }]);
  w.setClock('2025-03-10T10:30:00Z');
  const opened = await w.staff.rev.call<CaseView>('POST', '/api/cases', {
    reason: 'Suspected click fraud from one network on the publisher site',
    from: '2025-03-10T09:10:00Z',
    to: '2025-03-10T10:00:00Z',
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  caseId = opened.body.id;
}, 60_000);
afterAll(() => w?.dispose());

const waiting = (who: CaseWorld['admin']) => who.call<CasesWaiting>('GET', '/api/cases/waiting-for-me');

describe('GET /api/cases/waiting-for-me', () => {
  it('counts the cases awaiting my approval: those where I hold a share and have not approved', async () => {
    expect((await waiting(w.staff.boss)).body).toEqual({ count: 1, ids: [caseId] });
    expect((await waiting(w.staff.dpo)).body).toEqual({ count: 1, ids: [caseId] });
    // An approver without a share of the case's key waits for nothing.
    expect((await waiting(w.staff.boss2)).body).toEqual({ count: 0, ids: [] });

    const mine = (await w.staff.boss.call<MyShares>('GET', `/api/cases/${caseId}/shares/mine`)).body;
    const share = mine.shares.find((s) => s.keyId === keyId)!;
    const rewrappedShare = await w.rewrap(w.staff.boss, share.encryptedShare, mine.casePublicKey);
    expect((await w.staff.boss.call('POST', `/api/cases/${caseId}/approvals`, { keyId, rewrappedShare })).status).toBe(200);
    expect((await waiting(w.staff.boss)).body).toEqual({ count: 0, ids: [] });
    expect((await waiting(w.staff.dpo)).body).toEqual({ count: 1, ids: [caseId] });
  });

  it('refuses roles that approve nothing, and callers without a session', async () => {
    for (const who of [w.staff.rev, w.staff.analyst, w.admin]) expect((await waiting(who)).status).toBe(403);
    expect((await fetch(`${w.app.adminUrl}/api/cases/waiting-for-me`)).status).toBe(401);
  });
});
