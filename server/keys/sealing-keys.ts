/** A sealing key as the key ring knows it. */
export interface SealingKeyRef {
  id: string;
  kind: 'throwaway' | 'ceremony';
  recipient: string;
  activatedAt: string;
  retiredAt: string | null;
}

/** What keys, ceremonies and cases need from the sealing key ring. */
export interface SealingKeysPort {
  /** The key new logs are sealed to; null when sealing is not running. */
  current(): SealingKeyRef | null;
  /** Every key still on record, oldest first. */
  history(): SealingKeyRef[];
  /**
   * Starts sealing to a new ceremony key. `record(keyId)` runs in the same store transaction that
   * records the key, so a key never exists without its shares (and is not activated when it throws).
   */
  activate(recipient: string, meta: { createdBy: string; threshold: number; shareCount: number }, record: (keyId: string) => void): Promise<SealingKeyRef>;
}
