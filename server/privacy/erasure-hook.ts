import type { Db } from '../store/database';

/** Called after customers were erased in a running server (set by the privacy feature: rebuild indexes). */
export const afterErasure = new WeakMap<Db, () => void>();
/** Registers what runs after the retention task erased customers of this database. */
export const onCustomersErased = (db: Db, fn: () => void) => afterErasure.set(db, fn);
