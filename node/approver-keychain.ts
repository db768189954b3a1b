import { generateIdentity } from 'age-encryption';
import { ageIdentitySecret, isAgeIdentity } from '../common/age-keys';
import { MAX_WRAPPED_SHARE_BASE64 } from '../common/schemas/cases';
import { AgeError } from './age-error';
import { assertAgeRecipient, decodeBase64, decryptWith, encryptTo, importX25519Secret } from './age-files';
import { isInstallationId } from '../common/schemas/server-info';
import { httpOriginOf } from './http-origin';

/**
 * Whose identity: the installation (GET /api/server-info → installationId) and the user's e-mail.
 * `legacyOrigins` lists the server origins under which an older version filed this identity
 * (`${origin}|${email}`); an identity found there is moved to the installation's account on first use.
 */
export interface ApproverAccount {
  installationId: string;
  email: string;
  legacyOrigins?: readonly string[];
}

/** An approver's personal X25519 identity in the OS keychain; the identity never leaves this module. */
export interface ApproverKeychain {
  /** Creates (if missing) this user's X25519 identity for this installation in the OS keychain; returns the age recipient (age1…). */
  enroll(who: ApproverAccount): Promise<{ publicKey: string; created: boolean }>;
  /** The stored identity's recipient, or null. */
  publicKey(who: ApproverAccount): Promise<string | null>;
  /** Decrypts an encrypted share (base64 of an age file) with the keychain identity and re-encrypts it to the case recipient; returns base64 of the new age file. Never exposes the identity or plaintext share. */
  rewrapShare(who: ApproverAccount, encryptedShare: string, caseRecipient: string): Promise<string>;
  /** Removes the identity (tests, un-enrolment); legacy entries named in `who` too. */
  remove(who: ApproverAccount): Promise<boolean>;
}

export type KeychainErrorCode = 'invalid_input' | 'not_enrolled' | 'not_a_share' | 'unavailable';

/** A keychain failure with a message safe to show and log: never a key, share or identity. */
export class KeychainError extends Error {
  override name = 'KeychainError';
  constructor(readonly code: KeychainErrorCode, message: string) {
    super(message);
  }
}

/** The keytar service every Creative Engine identity is stored under. */
export const KEYCHAIN_SERVICE = 'creative-engine';
/** A share of a 32-byte key from shamir-secret-sharing: 32 bytes and the x coordinate. */
export const SHARE_BYTES = 33;

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let keytarPromise: Promise<Keytar> | undefined;
// Loaded on first use so a headless server without libsecret never loads the native module.
function loadKeytar(): Promise<Keytar> {
  keytarPromise ??= import('keytar').then(
    (mod) => ((mod as { default?: Keytar }).default ?? (mod as unknown as Keytar)),
    () => {
      keytarPromise = undefined;
      throw new KeychainError('unavailable', 'The OS keychain is not available (keytar could not be loaded; is libsecret installed?).');
    },
  );
  return keytarPromise;
}

function normalEmail(email: unknown): string {
  const mail = typeof email === 'string' ? email.trim().toLowerCase() : '';
  if (mail.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(mail)) throw new KeychainError('invalid_input', 'The e-mail address is not valid.');
  return mail;
}

/** The keychain account of one user of one installation: `${installationId}|${email in lower case}`; never a URL. */
export function keychainAccount(installationId: string, email: string): string {
  if (!isInstallationId(installationId)) throw new KeychainError('invalid_input', 'The installation id is not valid (expected ins_ and 32 hex digits).');
  return `${installationId}|${normalEmail(email)}`;
}

/** The account an older version used: `${server origin}|${email}`; only read to move it. */
export function legacyKeychainAccount(serverUrl: string, email: string): string {
  const origin = httpOriginOf(serverUrl);
  if (!origin) throw new KeychainError('invalid_input', 'A legacy server origin must be an http(s) URL.');
  return `${origin}|${normalEmail(email)}`;
}

/** Creates the approver keychain over keytar (service `creative-engine` unless given). */
export function createApproverKeychain(options: { service?: string } = {}): ApproverKeychain {
  const service = options.service ?? KEYCHAIN_SERVICE;
  // Serialises work per account so two concurrent enrolments cannot create two identities.
  const queues = new Map<string, Promise<unknown>>();
  const serial = <T>(account: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(account) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(account, tail);
    void tail.then(() => queues.get(account) === tail && queues.delete(account));
    return run;
  };

  async function storedIdentity(account: string): Promise<string | null> {
    const keytar = await loadKeytar();
    let stored: string | null;
    try {
      stored = await keytar.getPassword(service, account);
    } catch {
      throw new KeychainError('unavailable', 'The OS keychain could not be read (is it unlocked?).');
    }
    if (stored !== null && !isAgeIdentity(stored)) {
      throw new KeychainError('unavailable', 'The keychain entry for this server and user is not an age identity; remove it and enrol again.');
    }
    return stored;
  }

  async function deleteEntry(account: string): Promise<boolean> {
    try {
      return await (await loadKeytar()).deletePassword(service, account);
    } catch {
      throw new KeychainError('unavailable', 'The OS keychain could not be changed (is it unlocked?).');
    }
  }

  /** The identity under the installation's account; one filed under a legacy origin is moved there first (write new, then delete old). */
  function identityOf(who: ApproverAccount): Promise<{ account: string; identity: string | null }> {
    const account = keychainAccount(who.installationId, who.email);
    const legacy = [...new Set((who.legacyOrigins ?? []).map((o) => legacyKeychainAccount(o, who.email)))];
    return serial(account, async () => {
      const current = await storedIdentity(account);
      if (current || legacy.length === 0) return { account, identity: current };
      for (const old of legacy) {
        const identity = await storedIdentity(old);
        if (!identity) continue;
        try {
          await (await loadKeytar()).setPassword(service, account, identity);
        } catch {
          throw new KeychainError('unavailable', 'The OS keychain refused to store the identity (is it unlocked?).');
        }
        await deleteEntry(old);
        return { account, identity };
      }
      return { account, identity: null };
    });
  }

  const recipientOf = async (identity: string): Promise<string> => {
    const secret = ageIdentitySecret(identity);
    try {
      if (!secret) throw new Error('not an identity');
      return (await importX25519Secret(secret)).recipient;
    } catch {
      throw new KeychainError('unavailable', 'The keychain entry for this server and user is damaged; remove it and enrol again.');
    } finally {
      secret?.fill(0);
    }
  };

  return {
    async enroll(who) {
      const { account, identity: existing } = await identityOf(who);
      return serial(account, async () => {
        const stored = existing ?? (await storedIdentity(account));
        if (stored) return { publicKey: await recipientOf(stored), created: false };
        const identity = await generateIdentity();
        const publicKey = await recipientOf(identity);
        try {
          await (await loadKeytar()).setPassword(service, account, identity);
        } catch {
          throw new KeychainError('unavailable', 'The OS keychain refused to store the identity (is it unlocked?).');
        }
        return { publicKey, created: true };
      });
    },

    async publicKey(who) {
      const { identity } = await identityOf(who);
      return identity ? recipientOf(identity) : null;
    },

    async rewrapShare(who, encryptedShare, caseRecipient) {
      keychainAccount(who.installationId, who.email);
      try {
        assertAgeRecipient(caseRecipient, 'The case key');
      } catch (err) {
        throw new KeychainError('invalid_input', (err as Error).message);
      }
      let sealed: Uint8Array;
      try {
        sealed = decodeBase64(encryptedShare, (MAX_WRAPPED_SHARE_BASE64 / 4) * 3, 'The encrypted share');
      } catch (err) {
        throw new KeychainError('invalid_input', (err as Error).message);
      }
      const { identity } = await identityOf(who);
      if (!identity) throw new KeychainError('not_enrolled', 'Not enrolled: this computer holds no approver identity for this server and user.');
      let share: Uint8Array | undefined;
      try {
        share = await decryptWith(identity, sealed, 'The encrypted share');
        // Only ever re-wrap something share-sized: the keychain is no general decryption service.
        if (share.length !== SHARE_BYTES) throw new KeychainError('not_a_share', 'The encrypted data is not a key share.');
        const wrapped = await encryptTo(caseRecipient, share);
        return Buffer.from(wrapped).toString('base64');
      } catch (err) {
        if (err instanceof KeychainError) throw err;
        if (err instanceof AgeError) throw new KeychainError('not_a_share', 'The share was not encrypted to this approver’s key (or it is damaged).');
        throw new KeychainError('unavailable', 'Re-wrapping the share failed.');
      } finally {
        share?.fill(0);
      }
    },

    async remove(who) {
      const account = keychainAccount(who.installationId, who.email);
      const legacy = (who.legacyOrigins ?? []).map((o) => legacyKeychainAccount(o, who.email));
      return serial(account, async () => {
        let removed = await deleteEntry(account);
        for (const old of legacy) removed = (await deleteEntry(old)) || removed;
        return removed;
      });
    },
  };
}
