import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../auth/password';
import { FieldCipher } from '../privacy/field-cipher';
import { openDatabase, STORE_FILE } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import { anonymousClient, signIn, signInAs, TEST_PASSWORD, type AdminClient } from '../test/admin-client';
import { findPlainText } from '../test/find-plain-text';
import { startTestApp, type TestApp } from '../test/test-app';
import { UserRepo } from './user-repo';

const row = (app: TestApp, id: string) =>
  app.ctx.db.prepare('SELECT email, email_hash, pii_version FROM users WHERE id = ?').get(id) as { email: string; email_hash: string | null; pii_version: number };

describe('staff e-mails at rest', () => {
  let app: TestApp;
  let admin: AdminClient;
  beforeAll(async () => {
    app = await startTestApp();
    admin = await signInAs(app, 'admin');
  });
  afterAll(() => app.dispose());

  it('are stored encrypted with a keyed hash; sign-in ignores case; duplicates in any case are refused', async () => {
    const created = await admin.post('/api/users', { email: 'Kim.Kollegin.zx90@Agency.Example', name: 'Kim', password: TEST_PASSWORD, roles: ['dpo'] });
    expect(created.status).toBe(201);
    expect(created.body.email).toBe('kim.kollegin.zx90@agency.example');
    const stored = row(app, created.body.id);
    expect(FieldCipher.isEncrypted(stored.email)).toBe(true);
    expect(stored.email_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.pii_version).toBe(1);

    const kim = await signIn(app, 'KIM.KOLLEGIN.ZX90@agency.EXAMPLE', TEST_PASSWORD);
    expect(kim.user?.email).toBe('kim.kollegin.zx90@agency.example');
    expect((await kim.get('/api/me')).body.email).toBe('kim.kollegin.zx90@agency.example');
    expect((await admin.get(`/api/users/${created.body.id}`)).body.email).toBe('kim.kollegin.zx90@agency.example');
    expect((await admin.get('/api/users?q=kollegin.zx90')).body.items.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
    const approvers = (await admin.get('/api/approvers')).body.items;
    expect(approvers.find((a: { userId: string }) => a.userId === created.body.id)?.email).toBe('kim.kollegin.zx90@agency.example');

    const dup = await admin.post('/api/users', { email: ' kim.KOLLEGIN.zx90@agency.example', name: 'Kim 2', password: TEST_PASSWORD, roles: ['analyst'] });
    expect(dup.status).toBe(409);
    expect((await anonymousClient(app).post('/api/session', { email: 'kim.kollegin.zx90@agency.example', password: 'wrong password here' })).status).toBe(401);
  });
});

describe('migration 033', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-033-'));
  const EMAIL = 'old.admin.zx91@agency.example';
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.data-key`, { force: true });
  });

  it('encrypts the e-mails of a store written before it, fills the lookup hash and leaves no plain text', async () => {
    // A store as the versions before 033 left it: the staff e-mail in plain text.
    const old = openDatabase(dataDir, MIGRATIONS.filter((m) => m.version < 33));
    const at = '2025-01-01T00:00:00.000Z';
    old
      .prepare("INSERT INTO users (id, email, name, password_hash, roles, disabled, created_at, updated_at) VALUES ('usr_aaaaaaaaaaaaaaaa', ?, 'Old Admin', ?, '[\"admin\"]', 0, ?, ?)")
      .run(EMAIL, await hashPassword(TEST_PASSWORD), at, at);
    old.close();
    expect(findPlainText(dataDir, [EMAIL])).not.toEqual([]);

    const app = await startTestApp({ dataDir });
    try {
      const stored = row(app, 'usr_aaaaaaaaaaaaaaaa');
      expect(FieldCipher.isEncrypted(stored.email)).toBe(true);
      expect(stored.email_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(app.ctx.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBeGreaterThanOrEqual(33);
      const admin = await signIn(app, 'Old.Admin.ZX91@Agency.Example', TEST_PASSWORD);
      expect(admin.user).toMatchObject({ id: 'usr_aaaaaaaaaaaaaaaa', email: EMAIL });
      expect((await admin.post('/api/users', { email: EMAIL.toUpperCase(), name: 'Copy', password: TEST_PASSWORD, roles: ['analyst'] })).status).toBe(409);
      expect(app.ctx.audit.list({ limit: 10 }).find((e) => e.action === 'privacy.encrypt-legacy')?.details).toEqual({ users: 1 });
      expect(app.ctx.audit.verify()).toMatchObject({ ok: true });
      expect(findPlainText(dataDir, [EMAIL])).toEqual([]);
    } finally {
      await app.stop();
    }
    expect(findPlainText(dataDir, [EMAIL])).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, STORE_FILE))).toBe(true);
    const raw = new Database(path.join(dataDir, STORE_FILE), { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) FROM users WHERE pii_version = 1 AND email_hash IS NOT NULL').pluck().get()).toBe(1);
    raw.close();
  });
});

describe('converting plain-text staff e-mails', () => {
  it('refuses, naming only the account ids, two old accounts whose e-mails differ only in case', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-033-dup-'));
    try {
      const old = openDatabase(dataDir, MIGRATIONS.filter((m) => m.version < 33));
      const insert = old.prepare("INSERT INTO users (id, email, name, password_hash, roles, created_at, updated_at) VALUES (?, ?, 'X', 'x', '[]', '', '')");
      insert.run('usr_aaaaaaaaaaaaaaaa', 'Twice.zx92@agency.example');
      insert.run('usr_bbbbbbbbbbbbbbbb', 'twice.zx92@agency.example');
      old.close();
      const db = openDatabase(dataDir);
      try {
        const users = new UserRepo(db, new FieldCipher(randomBytes(32)));
        expect(() => users.encryptLegacyRows()).toThrow(/usr_aaaaaaaaaaaaaaaa and usr_bbbbbbbbbbbbbbbb have the same e-mail address/);
        expect(() => users.encryptLegacyRows()).not.toThrow(/zx92/);
        expect(db.prepare('SELECT COUNT(*) FROM users WHERE pii_version = 0').pluck().get()).toBe(2);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
