import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../node/test/until';
import { startTestApp, type TestApp } from '../test/test-app';
import { STORE_FILE } from './database';

describe('write-ahead log checkpoints', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.dispose());

  it('are made by the background thread: the serving connection never checkpoints, yet the store file takes the writes', async () => {
    const db = app.ctx.db;
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const file = path.join(app.dataDir, STORE_FILE);
    const before = fs.statSync(file).size;
    db.exec('CREATE TABLE checkpoint_probe (x BLOB)');
    const insert = db.prepare('INSERT INTO checkpoint_probe (x) VALUES (randomblob(16384))');
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run();
    })();
    // 3 MB went into the log; only a checkpoint moves pages into the store file.
    await until(() => fs.statSync(file).size >= before + 3_000_000, 'the store file to grow by the checkpointed pages', 10_000);
  });
});
