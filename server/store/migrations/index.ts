import { m001Core } from './001-core';
import { m002Audit } from './002-audit';

/** One numbered migration; `up` is plain SQL run in one transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

/**
 * Every migration, in any order (they are sorted by version). Ranges by area keep parallel work
 * from colliding: 1–9 core/admin, 10–19 delivery and statistics, 20–29 sealing and cases,
 * 30–39 privacy lifecycle.
 */
export const MIGRATIONS: readonly Migration[] = [m001Core, m002Audit];
