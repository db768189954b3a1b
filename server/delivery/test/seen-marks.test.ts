import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { idKey } from '../id-set';
import { SeenDecisions } from '../seen-decisions';
import { SeenDecisionsRepo } from '../seen-decisions-repo';

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-seen-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const newId = () => crypto.randomBytes(16).toString('base64url');
const HOUR = 3600;

describe('marks of counted decisions in the store', () => {
  it('are appended in counting order, once each, and a restart knows them', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    const nowSec = 1_780_000_000;
    const seen = new SeenDecisions(new SeenDecisionsRepo(db), 0, 24, () => nowSec * 1000);
    const ids = Array.from({ length: 500 }, newId);
    for (const id of ids) expect(seen.markFirst(id, ...idKey(id), nowSec - 60)).toBe(true);
    // A second count of the same decision is refused in memory, so it never reaches the store.
    expect(seen.markFirst(ids[7]!, ...idKey(ids[7]!), nowSec - 60)).toBe(false);
    db.transaction(() => seen.persist())();
    seen.committed();
    const stored = db.prepare('SELECT decision_id FROM delivery_seen_marks WHERE kind = 0 ORDER BY rowid').pluck().all();
    expect(stored).toEqual(ids);

    // After a restart the marks are loaded: every one of them counts as seen, a new id does not.
    const again = new SeenDecisions(new SeenDecisionsRepo(db), 0, 24, () => nowSec * 1000);
    again.load(nowSec);
    for (const id of ids) expect(again.markFirst(id, ...idKey(id), nowSec - 60)).toBe(false);
    const fresh = newId();
    expect(again.markFirst(fresh, ...idKey(fresh), nowSec - 60)).toBe(true);
    db.close();
  });

  it('drops expired marks per kind at the first flush of an hour', () => {
    const db = openDatabase(tempDir());
    let nowSec = 1_780_000_000;
    const repo = new SeenDecisionsRepo(db);
    const impressions = new SeenDecisions(repo, 0, 1, () => nowSec * 1000);
    const clicks = new SeenDecisions(repo, 1, 24, () => nowSec * 1000);
    const old = newId();
    impressions.markFirst(old, ...idKey(old), nowSec - 60);
    clicks.markFirst(old, ...idKey(old), nowSec - 60);
    db.transaction(() => [impressions, clicks].forEach((s) => s.persist()))();
    [impressions, clicks].forEach((s) => s.committed());
    expect(db.prepare('SELECT COUNT(*) FROM delivery_seen_marks').pluck().get()).toBe(2);
    expect(impressions.dirty()).toBe(false);
    nowSec += 3 * HOUR;
    expect(impressions.dirty()).toBe(true);
    db.transaction(() => [impressions, clicks].forEach((s) => s.persist()))();
    const left = db.prepare('SELECT kind FROM delivery_seen_marks ORDER BY kind').pluck().all();
    expect(left).toEqual([1]); // the impression's token (1 hour) expired, the click's (24 hours) did not
    db.close();
  });

  it('migration 023 carries the marks of the keyed table over', () => {
    const dir = tempDir();
    const old = openDatabase(dir, MIGRATIONS.filter((m) => m.version < 23));
    const nowSec = 1_780_000_000;
    const hour = Math.floor(nowSec / HOUR);
    const marks = [
      [0, newId(), hour - 1],
      [1, newId(), hour],
      [2, newId(), hour - 2],
    ] as const;
    for (const m of marks) old.prepare('INSERT INTO delivery_seen_decisions (kind, decision_id, issued_hour) VALUES (?, ?, ?)').run(...m);
    old.close();

    const db = openDatabase(dir);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'delivery_seen_decisions'").get()).toBeUndefined();
    const rows = db.prepare('SELECT kind, decision_id AS id, issued_hour AS hour FROM delivery_seen_marks ORDER BY kind').all();
    expect(rows).toEqual(marks.map(([kind, id, h]) => ({ kind, id, hour: h })));
    for (const [kind, id, issuedHour] of marks) {
      const seen = new SeenDecisions(new SeenDecisionsRepo(db), kind, 24, () => nowSec * 1000);
      seen.load(nowSec);
      expect(seen.markFirst(id, ...idKey(id), issuedHour * HOUR + 30), `kind ${kind}`).toBe(false);
    }
    db.close();
  });
});
