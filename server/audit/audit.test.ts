import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStaff, setupAdmin, type StaffClient } from '../cases/test/staff-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import type { AuditEntry, AuditPage } from '../../common/schemas/audit';
import { entryHash } from './audit-log';

let app: TestApp;
let admin: StaffClient;
let staff: Record<string, StaffClient>;

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

beforeAll(async () => {
  app = await startTestApp();
  admin = await setupAdmin(app.adminUrl);
  staff = await createStaff(app.adminUrl, admin, { dpo: ['dpo'], boss: ['management'], rev: ['reviewer'] });
  for (let i = 0; i < 5; i++) app.ctx.audit.append({ actor: 'system', action: 'backup.create', target: `t${i}`, details: { i } });
});
afterAll(() => app?.dispose());

describe('GET /api/audit', () => {
  it('lists newest first, pages with before and filters by action, for admin, DPO and management only', async () => {
    const first = await staff.dpo!.call<AuditPage>('GET', '/api/audit?limit=3');
    expect(first.status).toBe(200);
    const seqs = first.body.items.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(first.body.nextBefore).toBe(seqs[2]);
    const next = await staff.boss!.call<{ items: AuditEntry[] }>('GET', `/api/audit?limit=3&before=${first.body.nextBefore}`);
    expect(next.body.items[0]!.seq).toBe(seqs[2]! - 1);
    const filtered = await admin.call<{ items: AuditEntry[] }>('GET', '/api/audit?action=backup.');
    expect(filtered.body.items.map((e) => e.target)).toEqual(['t4', 't3', 't2', 't1', 't0']);
    expect((await staff.rev!.call('GET', '/api/audit')).status).toBe(403);
    expect((await admin.call('GET', '/api/audit?limit=0')).status).toBe(400);
    expect((await admin.call('GET', "/api/audit?action=x'%20OR%201")).status).toBe(400);
    expect((await fetch(`${app.adminUrl}/api/audit`)).status).toBe(401);
  });
});

describe('audit chain verification', () => {
  const db = () => app.ctx.db;
  const rows = () => db().prepare('SELECT * FROM audit_log ORDER BY seq').all() as Row[];
  const insert = (r: Row) =>
    db().prepare('INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(r.seq, r.at, r.actor, r.action, r.target, r.details, r.prev_hash, r.hash);
  let saved: Row[];
  let head: { seq: number; hash: string };

  beforeEach(() => {
    // Tampering needs the append-only triggers gone, as an attacker with the file would do.
    db().exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_head_follow; DROP TRIGGER IF EXISTS audit_head_forward_only');
    saved = rows();
    head = db().prepare('SELECT seq, hash FROM audit_head').get() as { seq: number; hash: string };
    expect(app.ctx.audit.verify()).toMatchObject({ ok: true, count: saved.length });
  });
  const restore = () => {
    db().exec('DELETE FROM audit_log');
    for (const r of saved) insert(r);
    db().prepare('UPDATE audit_head SET seq = ?, hash = ?').run(head.seq, head.hash);
    expect(app.ctx.audit.verify().ok).toBe(true);
  };

  it('is intact through the API', async () => {
    const res = await staff.dpo!.call('GET', '/api/audit/verify');
    expect(res.body).toEqual({ ok: true, count: saved.length });
  });

  it('detects an altered entry', async () => {
    db().prepare('UPDATE audit_log SET details = ? WHERE seq = 3').run('{"forged":true}');
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: 3, reason: 'entry 3 was altered' });
    expect((await admin.call('GET', '/api/audit/verify')).body).toMatchObject({ ok: false, badSeq: 3 });
    restore();
    db().prepare('UPDATE audit_log SET actor = ? WHERE seq = 2').run('someone-else');
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: 2 });
    restore();
  });

  it('detects a removed entry', () => {
    db().prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: 4, reason: 'entry 4 is missing' });
    restore();
  });

  it('detects reordered entries', () => {
    const [a, b] = [saved[2]!, saved[3]!];
    db().prepare('DELETE FROM audit_log WHERE seq IN (?, ?)').run(a.seq, b.seq);
    insert({ ...b, seq: a.seq });
    insert({ ...a, seq: b.seq });
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: a.seq });
    restore();
  });

  it('detects removal of the newest entries and a forged replacement, thanks to the recorded head', () => {
    const last = saved[saved.length - 1]!;
    db().prepare('DELETE FROM audit_log WHERE seq >= ?').run(last.seq - 1);
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: last.seq - 1 });
    restore();
    db().prepare('DELETE FROM audit_log WHERE seq = ?').run(last.seq);
    const forged = { seq: last.seq, at: last.at, actor: 'system', action: 'test.forged', target: null, details: {}, prevHash: last.prev_hash };
    insert({ seq: forged.seq, at: forged.at, actor: forged.actor, action: forged.action, target: null, details: '{}', prev_hash: forged.prevHash, hash: entryHash(forged) });
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: last.seq, reason: expect.stringContaining('replaced') });
    restore();
  });

  it('detects entries appended behind the log’s back and a deleted head', () => {
    const last = saved[saved.length - 1]!;
    const forged = { seq: last.seq + 1, at: last.at, actor: 'system', action: 'test.forged', target: null, details: {}, prevHash: last.hash };
    insert({ seq: forged.seq, at: forged.at, actor: forged.actor, action: forged.action, target: null, details: '{}', prev_hash: forged.prevHash, hash: entryHash(forged) });
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, badSeq: last.seq + 1 });
    restore();
    db().exec('DROP TRIGGER IF EXISTS audit_head_no_delete; DELETE FROM audit_head');
    expect(app.ctx.audit.verify()).toMatchObject({ ok: false, reason: 'the recorded chain head is missing' });
    db().prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)').run(head.seq, head.hash);
    restore();
  });
});
