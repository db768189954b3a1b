import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, MyShares } from '../../common/schemas/cases';
import { listSegments } from '../sealing/segment-reader';
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
  ]);
  w.setClock('2025-06-02T11:30:00Z');
  await w.resignIn();
});
afterAll(() => w?.dispose());

async function approveAs(who: StaffClient, id: string): Promise<{ status: number; body: unknown }> {
  const mine = await who.call<Mine>('GET', `/api/cases/${id}/shares/mine`);
  if (mine.status !== 200) return mine;
  const s = mine.body.shares[0]!;
  const rewrappedShare = await w.rewrap(who, s.encryptedShare, mine.body.casePublicKey);
  return who.call('POST', `/api/cases/${id}/approvals`, { keyId: s.keyId, rewrappedShare });
}

describe('an unsealing that fails while scanning', () => {
  it('resets the case with a fresh case key, so approvers can approve again', async () => {
    const opened = await w.staff.rev.call<CaseView>('POST', '/api/cases', { reason: REASON, ...WINDOW });
    expect(opened.status).toBe(201);
    const id = opened.body.id;
    const keyBefore = opened.body.casePublicKey;
    // A segment that cannot be read (a directory in its place): the scan fails after the master key was rebuilt.
    const segments = listSegments(w.app.services.sealing.sealedDir, { from: new Date(WINDOW.from), to: new Date(WINDOW.to) });
    expect(segments.length).toBeGreaterThan(0);
    const segment = segments[0]!.path;
    fs.renameSync(segment, `${segment}.bak`);
    fs.mkdirSync(segment);
    try {
      expect((await approveAs(w.staff.boss, id)).status).toBe(200);
      expect((await approveAs(w.staff.dpo, id)).status).toBe(200);
      const failed = await waitForCase<CaseView>(w.staff.rev, id);
      expect(failed).toMatchObject({ status: 'awaiting_approval', approvals: [] });
      expect(failed.notice).toContain('Unsealing failed');
    } finally {
      fs.rmdirSync(segment);
      fs.renameSync(`${segment}.bak`, segment);
    }
    // The old case key is gone with the failed attempt: approving again must work, not fail with a 5xx.
    const again = await approveAs(w.staff.boss, id);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect((again.body as CaseView).casePublicKey).not.toBe(keyBefore);
    expect((await approveAs(w.staff.dpo, id)).status).toBe(200);
    expect(await waitForCase<CaseView>(w.staff.rev, id)).toMatchObject({ status: 'ready', resultCount: 2 });
  });
});
