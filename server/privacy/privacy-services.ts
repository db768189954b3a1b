import type { Logger } from '../log/logger';
import type { Db } from '../store/database';
import { openDataKey } from './data-key';
import { FieldCipher, deriveSubkey } from './field-cipher';

/** What the privacy feature holds for a running store: the field cipher and the backup subkey. */
export interface PrivacyServices {
  cipher: FieldCipher;
  /** Subkey of the data key for backups (the data key itself is wiped after start-up). */
  backupKey: Buffer;
  storeId: string;
}

const byDb = new WeakMap<Db, PrivacyServices>();

/** Attaches the privacy services to a store connection (done by the privacy feature at start). */
export function attachPrivacy(db: Db, services: PrivacyServices): void {
  byDb.set(db, services);
}

/** The privacy services of a store connection; throws when the data key was not loaded. */
export function privacyOf(db: Db): PrivacyServices {
  const services = byDb.get(db);
  if (!services) throw new Error('The data key is not loaded for this store (the privacy feature must start first).');
  return services;
}

/** The field cipher of a store connection (repositories encrypt and decrypt personal data with it). */
export function fieldCipherFor(db: Db): FieldCipher {
  return privacyOf(db).cipher;
}

/**
 * Loads the data key of `dataDir` (keychain or key file), derives the field cipher and backup
 * subkey, wipes the data key and attaches the result to `db`. CLI commands that touch personal
 * data (demo, retention, backup) call this too.
 */
export async function loadPrivacy(db: Db, options: { dataDir: string; keyFile?: string; log: Logger }): Promise<PrivacyServices> {
  const existing = byDb.get(db);
  if (existing) return existing;
  const { key, storeId } = await openDataKey(options);
  try {
    const services: PrivacyServices = { cipher: new FieldCipher(key), backupKey: deriveSubkey(key, 'backup v1'), storeId };
    attachPrivacy(db, services);
    return services;
  } finally {
    key.fill(0);
  }
}

/** The privacy services of a store connection, or null when no data key was loaded (the `demo` CLI). */
export function privacyOrNull(db: Db): PrivacyServices | null {
  return byDb.get(db) ?? null;
}
