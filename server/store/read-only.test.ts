import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, openReadOnlyDatabase, READ_ONLY_CACHE_KIB } from './database';

describe("a delivery worker's read-only connection", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-read-only-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the migrated store with a small page cache and refuses writes', () => {
    openDatabase(dir).close();
    const db = openReadOnlyDatabase(dir);
    try {
      expect(db.pragma('cache_size', { simple: true })).toBe(-READ_ONLY_CACHE_KIB);
      expect(db.prepare('SELECT COUNT(*) FROM schema_migrations').pluck().get()).toBeGreaterThan(0);
      expect(() => db.exec('DELETE FROM schema_migrations')).toThrow(/readonly/);
    } finally {
      db.close();
    }
  });
});
