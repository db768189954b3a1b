import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { combine } from 'shamir-secret-sharing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageIdentityFromSecret } from '../../common/age-keys';
import type { KeysStatus } from '../../common/schemas/keys';
import { decryptWith, generateX25519Key, importX25519Secret, type X25519Key } from '../../node/age-files';
import { createStaff, setupAdmin, type StaffClient } from '../cases/test/staff-fixture';
import { readSegment, listSegments } from '../sealing/segment-reader';
import { accessRecordsSealed, recordsHandedTo } from '../sealing/test/unseal-for-tests';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let admin: StaffClient;
let staff: Record<string, StaffClient>;
const identities: Record<string, X25519Key> = {};

beforeAll(async () => {
  app = await startTestApp();
  admin = await setupAdmin(app.adminUrl);
  staff = await createStaff(app.adminUrl, admin, { boss: ['management'], boss2: ['management'], dpo: ['dpo'], rev: ['reviewer'], both: ['admin', 'dpo'] });
  for (const name of ['boss', 'boss2', 'dpo', 'both']) {
    const { key, secret } = await generateX25519Key();
    secret.fill(0);
    identities[name] = key;
  }
});
afterAll(() => app?.dispose());

const enrol = (who: StaffClient, publicKey: string) => who.call('POST', '/api/approvers/enrolment', { publicKey });

describe('approver enrolment', () => {
  it('refuses non-approvers, bad keys and requests without the CSRF header', async () => {
    expect((await enrol(staff.rev!, identities.boss!.recipient)).status).toBe(403);
    const bad = await enrol(staff.boss!, 'age1notakey');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain('age1notakey');
    const r = identities.boss!.recipient;
    const badChecksum = r.slice(0, -1) + (r.endsWith('q') ? 'p' : 'q');
    expect((await enrol(staff.boss!, badChecksum)).status).toBe(400);
    expect((await staff.boss!.call('POST', '/api/approvers/enrolment', { publicKey: r }, { 'x-requested-with': 'nope' })).status).toBe(403);
    expect((await staff.boss!.call('POST', '/api/approvers/enrolment', { publicKey: r, extra: 1 })).status).toBe(400);
  });

  it('stores the key, replaces it on re-enrolment and audits both', async () => {
    const first = await enrol(staff.boss!, identities.boss2!.recipient);
    expect(first.status).toBe(201);
    const again = await enrol(staff.boss!, identities.boss!.recipient);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replaced: true, publicKey: identities.boss!.recipient });
    const list = await admin.call<{ items: Array<{ userId: string; enrolled: boolean; publicKey: string | null }> }>('GET', '/api/approvers');
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((a) => [a.userId, a]));
    expect(byId.get(staff.boss!.id)).toMatchObject({ enrolled: true, publicKey: identities.boss!.recipient });
    expect(byId.get(staff.dpo!.id)).toMatchObject({ enrolled: false });
    expect(byId.has(staff.rev!.id)).toBe(false);
    expect((await staff.rev!.call('GET', '/api/approvers')).status).toBe(403);
    const audit = await admin.call<{ items: Array<{ action: string; actor: string }> }>('GET', '/api/audit?action=approver.');
    expect(audit.body.items.map((e) => e.action)).toEqual(['approver.reenrol', 'approver.enrol']);
  });
});

describe('key ceremony', () => {
  it('seals to a throwaway key before the first ceremony', async () => {
    const keys = await admin.call<KeysStatus>('GET', '/api/keys');
    expect(keys.status).toBe(200);
    expect(keys.body.throwaway).toBe(true);
    expect(keys.body.current?.kind).toBe('throwaway');
    expect((await staff.rev!.call('GET', '/api/keys')).status).toBe(403);
    expect((await staff.dpo!.call('GET', '/api/keys')).status).toBe(200);
  });

  it('names approvers who are not enrolled and checks threshold and roles', async () => {
    const notEnrolled = await admin.call<{ error: { message: string } }>('POST', '/api/keys/ceremony', { approvers: [staff.boss!.id, staff.dpo!.id] });
    expect(notEnrolled.status).toBe(409);
    expect(notEnrolled.body.error.message).toContain(`dpo (${staff.dpo!.id})`);
    expect((await enrol(staff.dpo!, identities.dpo!.recipient)).status).toBe(201);
    expect((await enrol(staff.boss2!, identities.boss2!.recipient)).status).toBe(201);
    const cases: Array<[unknown, number]> = [
      [{ approvers: [staff.boss!.id, staff.dpo!.id], threshold: 3 }, 400],
      [{ approvers: [staff.boss!.id, staff.dpo!.id], threshold: 1 }, 400],
      [{ approvers: [staff.boss!.id, staff.boss2!.id] }, 409],
      [{ approvers: [staff.boss!.id, staff.boss!.id] }, 400],
      [{ approvers: [staff.boss!.id, staff.rev!.id] }, 400],
      [{ approvers: [staff.boss!.id, 'usr_nobody'] }, 400],
      [{ approvers: 'all' }, 400],
    ];
    for (const [body, status] of cases) expect((await admin.call('POST', '/api/keys/ceremony', body)).status, JSON.stringify(body)).toBe(status);
    expect((await staff.boss!.call('POST', '/api/keys/ceremony', {})).status).toBe(403);
    const keys = await admin.call<KeysStatus>('GET', '/api/keys');
    expect(keys.body.throwaway).toBe(true);
  });

  it('splits a new key among the approvers, stores only encrypted shares and starts sealing to it', async () => {
    const res = await admin.call<{ keyId: string; recipient: string; threshold: number; shareholders: Array<{ userId: string }> }>('POST', '/api/keys/ceremony', {
      approvers: [staff.boss!.id, staff.dpo!.id],
    });
    expect(res.status).toBe(201);
    expect(res.body.threshold).toBe(2);
    const keys = await admin.call<KeysStatus>('GET', '/api/keys');
    expect(keys.body).toMatchObject({ throwaway: false, current: { id: res.body.keyId, kind: 'ceremony', threshold: 2, retiredAt: null } });
    expect(keys.body.history.map((k) => k.kind)).toEqual(['throwaway', 'ceremony']);
    expect(keys.body.history[0]!.retiredAt).not.toBeNull();
    // Each approver's identity opens exactly their share; two shares rebuild the sealing key.
    const rows = app.ctx.db.prepare('SELECT user_id, encrypted_share FROM key_shares WHERE key_id = ?').all(res.body.keyId) as Array<{ user_id: string; encrypted_share: Buffer }>;
    expect(rows).toHaveLength(2);
    const shares: Uint8Array[] = [];
    for (const row of rows) {
      const who = row.user_id === staff.boss!.id ? 'boss' : 'dpo';
      const other = who === 'boss' ? 'dpo' : 'boss';
      await expect(decryptWith(identities[other]!.cryptoKey, row.encrypted_share)).rejects.toThrow();
      shares.push(await decryptWith(identities[who]!.cryptoKey, row.encrypted_share));
    }
    const secret = await combine(shares);
    expect((await importX25519Secret(secret)).recipient).toBe(res.body.recipient);
    await expect(combine([shares[0]!])).rejects.toThrow();
    // A frame the server seals from now on opens with the rebuilt key in the independent age CLI.
    const before = recordsHandedTo(app.services.sealing.sealer);
    await (await fetch(`${app.deliveryUrl}/healthz`, { headers: { 'user-agent': 'AgeCliCheck/1' } })).arrayBuffer();
    await accessRecordsSealed(app.services.sealing.sealer, before, 1);
    const segment = listSegments(app.ctx.config.sealing.dir).find((s) => s.keyId === res.body.keyId)!;
    const frame = [...readSegment(segment.path)][0]!;
    const dir = fs.mkdtempSync(path.join(app.dataDir, 'age-'));
    fs.writeFileSync(path.join(dir, 'id'), ageIdentityFromSecret(secret) + '\n', { mode: 0o600 });
    secret.fill(0);
    fs.writeFileSync(path.join(dir, 'frame.age'), frame.data);
    const plain = execFileSync('age', ['-d', '-i', path.join(dir, 'id'), path.join(dir, 'frame.age')]).toString();
    expect(JSON.parse(plain.trim().split('\n')[0]!)).toMatchObject({ method: 'GET', url: '/healthz', userAgent: 'AgeCliCheck/1' });
    fs.rmSync(dir, { recursive: true, force: true });
    const audit = await admin.call<{ items: Array<{ action: string; target: string }> }>('GET', '/api/audit?action=key.ceremony');
    expect(audit.body.items[0]).toMatchObject({ action: 'key.ceremony', target: res.body.keyId });
  });

  it('rotates: a later ceremony adds a key and keeps the old one and its shares', async () => {
    expect((await enrol(staff.both!, identities.both!.recipient)).status).toBe(201);
    const before = (await admin.call<KeysStatus>('GET', '/api/keys')).body.current!;
    const res = await admin.call<{ keyId: string; threshold: number; warnings: string[]; shareholders: unknown[] }>('POST', '/api/keys/ceremony', { threshold: 2 });
    expect(res.status).toBe(201);
    expect(res.body.shareholders).toHaveLength(4); // every enrolled approver by default
    expect(res.body.warnings.length).toBeGreaterThan(0); // 2 of 4 could be reached without the DPO or without management
    const keys = (await admin.call<KeysStatus>('GET', '/api/keys')).body;
    expect(keys.history).toHaveLength(3);
    const old = keys.history.find((k) => k.id === before.id)!;
    expect(old.retiredAt).not.toBeNull();
    expect(old.shareholders).toHaveLength(2);
    expect(keys.current!.id).toBe(res.body.keyId);
  });
});
