import type { Logger } from '../log/logger';
import { openDataKey } from './data-key';
import { FieldCipher, deriveSubkey } from './field-cipher';

/** What the data key of a store yields: the field cipher and the backup subkey. */
export interface PrivacyServices {
  cipher: FieldCipher;
  /** Subkey of the data key for backups (the data key itself is wiped after start-up). */
  backupKey: Buffer;
  storeId: string;
}

/**
 * Loads the data key of `dataDir` (keychain or key file), derives the field cipher and backup
 * subkey and wipes the data key. `serve` (compose.ts) and the CLI commands that touch personal
 * data (init, backup) call this.
 */
export async function loadPrivacy(options: { dataDir: string; keyFile?: string; log: Logger }): Promise<PrivacyServices> {
  const { key, storeId } = await openDataKey(options);
  try {
    return { cipher: new FieldCipher(key), backupKey: deriveSubkey(key, 'backup v1'), storeId };
  } finally {
    key.fill(0);
  }
}
