import type { Db } from '../store/database';

/** 0 = impression, 1 = click, 2 = viewable impression (the table's kind column has no CHECK, so no migration). */
export type SeenKind = 0 | 1 | 2;

/**
 * SQL of the set of decisions whose impression, click or view was already counted: marks appended in
 * counting order (migration 023), each written once (the in-memory set decides what is new), read
 * back at start and dropped per kind once their tokens expired.
 */
export class SeenDecisionsRepo {
  private readonly insert;
  private readonly purge;
  private readonly loadStmt;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO delivery_seen_marks (kind, issued_hour, decision_id) VALUES (?, ?, ?)');
    this.purge = db.prepare('DELETE FROM delivery_seen_marks WHERE kind = ? AND issued_hour < ?');
    this.loadStmt = db.prepare('SELECT kind, decision_id AS decisionId, issued_hour AS issuedHour FROM delivery_seen_marks WHERE kind = ? AND issued_hour >= ?');
  }

  /** Records one counted decision (inside the statistics flush transaction). */
  add(kind: SeenKind, decisionId: string, issuedHour: number): void {
    this.insert.run(kind, issuedHour, decisionId);
  }

  /** Forgets decisions whose tokens have expired (issued before `minHour`). */
  purgeBefore(kind: SeenKind, minHour: number): void {
    this.purge.run(kind, minHour);
  }

  /** The still-relevant counted decisions of a kind. */
  load(kind: SeenKind, minHour: number): Array<{ decisionId: string; issuedHour: number }> {
    return this.loadStmt.all(kind, minHour) as Array<{ decisionId: string; issuedHour: number }>;
  }
}
