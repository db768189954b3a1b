import { expect } from 'vitest';
import type { Db } from '../../store/database';

const COUNTS = ['served', 'impressions', 'clicks', 'viewable', 'measurable', 'revenue'] as const;
type Sums = Map<string, number[]>;

function add(into: Sums, key: string, row: Record<string, unknown>): void {
  const sums = into.get(key) ?? COUNTS.map(() => 0);
  COUNTS.forEach((c, i) => (sums[i]! += row[c] as number));
  into.set(key, sums);
}

const stored = (db: Db, table: string, time: string): Sums =>
  new Map(
    (db.prepare(`SELECT ${time} AS t, customer_id AS cu, ${COUNTS.join(', ')} FROM ${table}`).all() as Array<Record<string, unknown>>).map((r) => [
      `${String(r.t)}\t${String(r.cu)}`,
      COUNTS.map((c) => r[c] as number),
    ]),
  );

const nonZero = (m: Sums): Sums => new Map([...m].filter(([, v]) => v.some((x) => x !== 0)));

/**
 * The customer rollups (migration 022) equal independent sums: stats_customer_hourly the hourly
 * rows per hour and their campaign's customer ('' when there is no such campaign), rows that add
 * up to nothing aside; stats_customer_daily exactly the campaign-daily rows per day and customer.
 */
export function checkCustomerRollups(db: Db): void {
  const customerOf = new Map((db.prepare('SELECT id, customer_id AS cu FROM campaigns').all() as Array<{ id: string; cu: string }>).map((c) => [c.id, c.cu]));
  const hourly: Sums = new Map();
  for (const r of db.prepare(`SELECT hour, campaign_id AS c, ${COUNTS.join(', ')} FROM stats_hourly`).all() as Array<Record<string, unknown>>) {
    add(hourly, `${String(r.hour)}\t${customerOf.get(r.c as string) ?? ''}`, r);
  }
  expect(nonZero(stored(db, 'stats_customer_hourly', 'hour')), 'stats_customer_hourly').toEqual(nonZero(hourly));
  const daily: Sums = new Map();
  for (const r of db.prepare(`SELECT day, customer_id AS cu, ${COUNTS.join(', ')} FROM stats_campaign_daily`).all() as Array<Record<string, unknown>>) {
    add(daily, `${String(r.day)}\t${String(r.cu)}`, r);
  }
  expect(stored(db, 'stats_customer_daily', 'day'), 'stats_customer_daily').toEqual(daily);
}
