import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, MyShares, UnsealedRecord } from '../../common/schemas/cases';
import { encryptTo, generateX25519Key } from '../../node/age-files';
import { createCaseWorld, waitForCase, type CaseWorld } from './test/case-world';
import type { StaffClient } from './test/staff-fixture';

type Mine = MyShares;
type Records = { items: UnsealedRecord[]; total: number; truncated: boolean };

let w: CaseWorld;
let keyA: string;
let keyB: string;
let caseId: string;

const ceremony = async () => {
  const res = await w.admin.call<{ keyId: string }>('POST', '/api/keys/ceremony', { approvers: [w.staff.boss.id, w.staff.dpo.id] });
  expect(res.status).toBe(201);
  return res.body.keyId;
};

beforeAll(async () => {
  w = await createCaseWorld('2025-03-10T08:55:00Z');
  w.setClock('2025-03-10T09:00:10Z');
  await w.traffic([{ ip: '203.0.113.5', path: '/v1/zone/zon_xxxxxxxxxxxxxxxx.js' }]); // sealed to the throwaway key
  w.setClock('2025-03-10T09:05:00Z');
  keyA = await ceremony();
  w.setClock('2025-03-10T09:30:00Z');
  await w.traffic([
    { ip: '203.0.113.7', path: '/v1/zone/zon_xxxxxxxxxxxxxxxx.js' },
    { ip: '203.0.113.8', path: '/healthz' },
    { ip: '198.51.100.9', path: '/v1/zone/zon_xxxxxxxxxxxxxxxx.js' },
  ]);
  w.setClock('2025-03-10T09:40:00Z');
  keyB = await ceremony(); // rotation: the window below spans both keys
  w.setClock('2025-03-10T09:50:00Z');
  await w.traffic([
    { ip: '203.0.113.9', path: '/v1/decision?zone=zon_xxxxxxxxxxxxxxxx' },
    { ip: '2001:db8::1', path: '/v1/zone/zon_yyyyyyyyyyyyyyyy/frame' },
    { ip: '203.0.113.10', path: '/v1/zone/zon_yyyyyyyyyyyyyyyy/frame' },
  ]);
  w.setClock('2025-03-10T10:30:00Z');
  await w.traffic([{ ip: '203.0.113.11', path: '/v1/zone/zon_xxxxxxxxxxxxxxxx.js' }]); // after the window
  w.setClock('2025-03-10T10:45:00Z');
});
afterAll(() => w?.dispose());

const open = (who: StaffClient, body: unknown) => who.call<CaseView & { error?: { message: string } }>('POST', '/api/cases', body);
const REASON = 'Suspected click fraud from one network on the publisher site';

async function approveAs(who: StaffClient, id: string, onlyKey?: string): Promise<CaseView> {
  const mine = await who.call<Mine>('GET', `/api/cases/${id}/shares/mine`);
  expect(mine.status).toBe(200);
  let view!: CaseView;
  for (const s of mine.body.shares.filter((x) => !onlyKey || x.keyId === onlyKey)) {
    const rewrappedShare = await w.rewrap(who, s.encryptedShare, mine.body.casePublicKey);
    const res = await who.call<CaseView>('POST', `/api/cases/${id}/approvals`, { keyId: s.keyId, rewrappedShare });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    view = res.body;
  }
  return view;
}

describe('opening a case', () => {
  it('validates reason, window and filters, each with a clear 4xx', async () => {
    const base = { reason: REASON, from: '2025-03-10T09:00:00Z', to: '2025-03-10T10:00:00Z' };
    const bad: Array<[unknown, number]> = [
      [{ ...base, reason: 'too short' }, 400],
      [{ ...base, to: '2025-03-10T08:00:00Z' }, 400],
      [{ ...base, from: '2025-01-01T00:00:00Z' }, 400], // more than 31 days
      [{ ...base, to: '2025-03-11T00:00:00Z' }, 400], // in the future
      [{ ...base, from: 'yesterday' }, 400],
      [{ ...base, filters: { ipPrefix: '203.0.113.0/33' } }, 400],
      [{ ...base, filters: { path: 'no-slash' } }, 400],
      [{ ...base, filters: { zoneId: 'zon_doesnotexist0000' } }, 400],
      [{ ...base, filters: { color: 'red' } }, 400],
      [{ ...base, from: '2025-03-01T00:00:00Z', to: '2025-03-10T09:00:00Z' }, 409], // only throwaway-sealed logs
    ];
    for (const [body, status] of bad) expect((await open(w.staff.rev, body)).status, JSON.stringify(body)).toBe(status);
    expect((await open(w.staff.boss, base)).status).toBe(403);
    expect((await w.staff.rev.call('POST', '/api/cases', base, { 'x-requested-with': '' })).status).toBe(403);
  });

  it('opens a case that needs a quorum for each key whose logs overlap the window', async () => {
    const res = await open(w.staff.rev, { reason: REASON, from: '2025-03-10T09:00:00Z', to: '2025-03-10T10:00:00Z', filters: { ipPrefix: '203.0.113.0/24', path: '/v1/' } });
    expect(res.status).toBe(201);
    caseId = res.body.id;
    expect(res.body).toMatchObject({ status: 'awaiting_approval', required: 2, approvals: [], createdBy: w.staff.rev.id });
    expect(res.body.keys.map((k) => k.keyId).sort()).toEqual([keyA, keyB].sort());
    expect(res.body.casePublicKey).toMatch(/^age1[0-9a-z]{58}$/);
    expect(res.body.notice).toContain('throwaway');
    const list = await w.staff.dpo.call<{ items: CaseView[]; total: number }>('GET', '/api/cases');
    expect(list.body.items.map((c) => c.id)).toContain(caseId);
    expect((await w.staff.analyst.call('GET', `/api/cases/${caseId}`)).status).toBe(403);
    expect((await w.staff.rev.call('GET', '/api/cases/cas_00000000000000000000')).status).toBe(404);
  });
});

describe('approving', () => {
  it('keeps records sealed below quorum', async () => {
    expect((await w.staff.rev.call('GET', `/api/cases/${caseId}/records`)).status).toBe(409);
    expect((await w.staff.analyst.call('GET', `/api/cases/${caseId}/records`)).status).toBe(403);
  });

  it('refuses approvers who hold no share', async () => {
    expect((await w.staff.boss2.call('GET', `/api/cases/${caseId}/shares/mine`)).status).toBe(403);
    const fake = Buffer.from(await encryptTo((await w.staff.rev.call<CaseView>('GET', `/api/cases/${caseId}`)).body.casePublicKey!, new Uint8Array(33))).toString('base64');
    expect((await w.staff.boss2.call('POST', `/api/cases/${caseId}/approvals`, { keyId: keyA, rewrappedShare: fake })).status).toBe(403);
    expect((await w.staff.rev.call('POST', `/api/cases/${caseId}/approvals`, { keyId: keyA, rewrappedShare: fake })).status).toBe(403);
  });

  it('fails a wrong, foreign or corrupted share cleanly and leaves the case unchanged', async () => {
    const mine = (await w.staff.boss.call<Mine>('GET', `/api/cases/${caseId}/shares/mine`)).body;
    const shareA = mine.shares.find((s) => s.keyId === keyA)!;
    const post = (keyId: string, rewrappedShare: string) => w.staff.boss.call<{ error: { message: string } }>('POST', `/api/cases/${caseId}/approvals`, { keyId, rewrappedShare });
    // Key A's share offered as key B's: it decrypts, but it is not a share of key B.
    const asB = await post(keyB, await w.rewrap(w.staff.boss, shareA.encryptedShare, mine.casePublicKey));
    expect(asB.status).toBe(400);
    expect(asB.body.error.message).toContain('not your share');
    // Re-wrapped to some other key than this case's.
    const other = (await generateX25519Key()).key.recipient;
    expect((await post(keyA, await w.rewrap(w.staff.boss, shareA.encryptedShare, other))).status).toBe(400);
    // Corrupted bytes, and something that is not base64.
    const good = Buffer.from(await w.rewrap(w.staff.boss, shareA.encryptedShare, mine.casePublicKey), 'base64');
    good[good.length - 3]! ^= 0xff;
    expect((await post(keyA, good.toString('base64'))).status).toBe(400);
    expect((await post(keyA, 'not*base64')).status).toBe(400);
    expect((await post('sk_unknownkey', good.toString('base64'))).status).toBe(400);
    const view = (await w.staff.rev.call<CaseView>('GET', `/api/cases/${caseId}`)).body;
    expect(view).toMatchObject({ status: 'awaiting_approval', approvals: [] });
    const rejected = await w.admin.call<{ items: Array<{ action: string }> }>('GET', '/api/audit?action=case.approval_rejected');
    expect(rejected.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('needs every key’s quorum, from management and the DPO, before unsealing', async () => {
    let view = await approveAs(w.staff.boss, caseId);
    expect(view.status).toBe('awaiting_approval');
    expect(view.approvals).toHaveLength(2);
    const again = await w.staff.boss.call('POST', `/api/cases/${caseId}/approvals`, { keyId: keyA, rewrappedShare: 'AAAA' });
    expect(again.status).toBe(409);
    view = await approveAs(w.staff.dpo, caseId, keyA);
    expect(view.status).toBe('awaiting_approval'); // key B still lacks the DPO
    expect((await w.staff.rev.call('GET', `/api/cases/${caseId}/records`)).status).toBe(409);
    view = await approveAs(w.staff.dpo, caseId, keyB);
    expect(['unsealing', 'ready']).toContain(view.status);
    const done = await waitForCase<CaseView>(w.staff.rev, caseId);
    expect(done.notice ?? '').not.toContain('failed');
    expect(done).toMatchObject({ status: 'ready', resultCount: 3, casePublicKey: null });
    expect(done.progress).toMatchObject({ segmentsDone: done.progress!.segmentsTotal });
  });
});

describe('reading the unsealed records', () => {
  it('shows only records inside the window and the filters', async () => {
    const res = await w.staff.rev.call<Records>('GET', `/api/cases/${caseId}/records`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const seen = res.body.items.map((r) => `${r.ip} ${r.url}`).sort();
    expect(seen).toEqual([
      '203.0.113.10 /v1/zone/zon_yyyyyyyyyyyyyyyy/frame',
      '203.0.113.7 /v1/zone/zon_xxxxxxxxxxxxxxxx.js',
      '203.0.113.9 /v1/decision?zone=zon_xxxxxxxxxxxxxxxx',
    ]);
    expect(res.body.items[0]).toMatchObject({ method: 'GET', userAgent: 'CaseTest/1.0', referrer: 'https://publisher.example/page' });
    for (const r of res.body.items) expect(r.t >= '2025-03-10T09:00:00.000Z' && r.t < '2025-03-10T10:00:00.000Z').toBe(true);
  });

  it('pages and filters within the results, for the creator and approvers only', async () => {
    const page = await w.staff.boss.call<Records>('GET', `/api/cases/${caseId}/records?limit=2&offset=2`);
    expect(page.body).toMatchObject({ total: 3 });
    expect(page.body.items).toHaveLength(1);
    expect((await w.staff.dpo.call<Records>('GET', `/api/cases/${caseId}/records?path=/v1/decision`)).body.total).toBe(1);
    expect((await w.staff.dpo.call<Records>('GET', `/api/cases/${caseId}/records?ip=203.0.113.7`)).body.total).toBe(1);
    expect((await w.staff.dpo.call<Records>('GET', `/api/cases/${caseId}/records?status=599`)).body.total).toBe(0);
    expect((await w.staff.dpo.call('GET', `/api/cases/${caseId}/records?limit=0`)).status).toBe(400);
    expect((await w.staff.dpo.call('GET', `/api/cases/${caseId}/records?ip=nonsense`)).status).toBe(400);
    expect((await w.staff.boss2.call('GET', `/api/cases/${caseId}/records`)).status).toBe(403);
    expect((await w.admin.call('GET', `/api/cases/${caseId}/records`)).status).toBe(403);
  });

  it('exports CSV and JSON, audited', async () => {
    const csv = await w.staff.rev.call<string>('GET', `/api/cases/${caseId}/export?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`${caseId}.csv`);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('t,ip,method,url,status,bytes,referrer,userAgent');
    expect(lines).toHaveLength(4);
    const json = await w.staff.rev.call<{ records: UnsealedRecord[] }>('GET', `/api/cases/${caseId}/export`);
    expect(json.body.records).toHaveLength(3);
    expect((await w.staff.rev.call('GET', `/api/cases/${caseId}/export?format=xml`)).status).toBe(400);
    const audit = await w.admin.call<{ items: Array<{ action: string; target: string; details: Record<string, unknown> }> }>('GET', '/api/audit?action=case.&limit=100');
    const actions = audit.body.items.filter((e) => e.target === caseId).map((e) => e.action);
    for (const a of ['case.open', 'case.share_fetch', 'case.approval_rejected', 'case.approve', 'case.unseal_start', 'case.unsealed', 'case.view_records', 'case.export']) expect(actions).toContain(a);
    expect(JSON.stringify(audit.body)).not.toContain('203.0.113');
  });

  it('closes: only the creator or an admin, and the results are gone', async () => {
    expect((await w.staff.boss.call('POST', `/api/cases/${caseId}/close`)).status).toBe(403);
    const closed = await w.staff.rev.call<CaseView>('POST', `/api/cases/${caseId}/close`);
    expect(closed.body.status).toBe('closed');
    expect((await w.staff.rev.call('GET', `/api/cases/${caseId}/records`)).status).toBe(409);
    expect((await w.staff.rev.call('POST', `/api/cases/${caseId}/close`)).status).toBe(409);
    expect((await w.staff.boss.call('POST', `/api/cases/${caseId}/approvals`, { keyId: keyA, rewrappedShare: 'AAAA' })).status).toBe(409);
  });
});
