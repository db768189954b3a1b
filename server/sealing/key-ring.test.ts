import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database';
import { KeyRing } from './key-ring';
import { createTestIdentity } from './test/test-identity';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const freshDb = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-keyring-'));
  dirs.push(dir);
  return openDatabase(dir);
};

describe('key ring', () => {
  it('starts with a throwaway key, keeping only its recipient', () => {
    const db = freshDb();
    const ring = new KeyRing(db, () => new Date('2025-01-01T00:00:00Z'));
    expect(ring.current()).toBeNull();
    const key = ring.ensureCurrent();
    expect(key).toMatchObject({ kind: 'throwaway', activatedAt: '2025-01-01T00:00:00.000Z', retiredAt: null, recipient: expect.stringMatching(/^age1[02-9ac-hj-np-z]{58}$/) });
    expect(ring.ensureCurrent()).toEqual(key);
    expect(ring.status()).toEqual({ sealing: 'throwaway', keyId: key.id, since: '2025-01-01T00:00:00.000Z' });
    // Nothing secret is stored: the table has no column for it.
    const columns = (db.prepare('PRAGMA table_info(sealing_keys)').all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['id', 'recipient', 'kind', 'created_at', 'retired_at']);
    db.close();
  });

  it('activates a ceremony key with its records in one transaction, retiring the old key and telling listeners', async () => {
    const db = freshDb();
    let now = new Date('2025-01-01T00:00:00Z');
    const ring = new KeyRing(db, () => now);
    const first = ring.ensureCurrent();
    const seen: string[] = [];
    ring.onActivate((k) => seen.push(k.id));
    db.exec('CREATE TABLE t_shares (key_id TEXT)');

    now = new Date('2025-02-01T00:00:00Z');
    const id = createTestIdentity();
    const key = await ring.activate(id.recipient, { createdBy: 'usr_x' }, (keyId) => db.prepare('INSERT INTO t_shares VALUES (?)').run(keyId));
    expect(key).toMatchObject({ kind: 'ceremony', recipient: id.recipient, activatedAt: '2025-02-01T00:00:00.000Z', retiredAt: null });
    expect(seen).toEqual([key.id]);
    expect(db.prepare('SELECT key_id FROM t_shares').pluck().all()).toEqual([key.id]);
    expect(ring.history().map((k) => [k.id, k.kind, k.retiredAt])).toEqual([
      [first.id, 'throwaway', '2025-02-01T00:00:00.000Z'],
      [key.id, 'ceremony', null],
    ]);
    expect(ring.get(first.id)?.retiredAt).toBe('2025-02-01T00:00:00.000Z');
    expect(ring.status()).toEqual({ sealing: 'ceremony', keyId: key.id, since: '2025-02-01T00:00:00.000Z' });
    db.close();
  });

  it('changes nothing when the recorded work throws, the recipient is invalid, or a transaction is open', async () => {
    const db = freshDb();
    const ring = new KeyRing(db);
    const first = ring.ensureCurrent();
    const seen: string[] = [];
    ring.onActivate((k) => seen.push(k.id));
    const id = createTestIdentity();
    await expect(ring.activate(id.recipient, {}, () => { throw new Error('share storage failed'); })).rejects.toThrow('share storage failed');
    await expect(ring.activate('age1notakey', {})).rejects.toThrow(/Not an age X25519 recipient/);
    db.exec('BEGIN');
    await expect(ring.activate(id.recipient, {})).rejects.toThrow(/must not run inside a transaction/);
    db.exec('ROLLBACK');
    expect(ring.history()).toEqual([first]);
    expect(ring.current()).toEqual(first);
    expect(seen).toEqual([]);
    db.close();
  });
});
