import { z } from 'zod';
import { keyed } from './checks';
import { isAgeRecipient } from '../age-keys';
import type { Role } from '../roles';

/** Most approvers a ceremony may name (and the largest n of k-of-n). */
export const MAX_CEREMONY_APPROVERS = 10;

/** An age X25519 recipient (`age1…`), its bech32 checksum verified. */
export const ageRecipientSchema = z
  .string()
  .trim()
  .refine(isAgeRecipient, keyed('ageRecipient', 'Expected an age X25519 public key (age1… with 62 characters and a valid checksum).'));

/** POST /api/approvers/enrolment */
export const enrolmentSchema = z.object({ publicKey: ageRecipientSchema }).strict();
export type EnrolmentInput = z.infer<typeof enrolmentSchema>;

/** POST /api/keys/ceremony; both fields optional (default: every enrolled approver, all of them needed). */
export const ceremonySchema = z
  .object({
    approvers: z.array(z.string().min(1).max(100)).min(2).max(MAX_CEREMONY_APPROVERS).optional(),
    threshold: z.number().int().min(2).max(MAX_CEREMONY_APPROVERS).optional(),
  })
  .strict();
export type CeremonyInput = z.infer<typeof ceremonySchema>;

/** One staff member who may hold a key share, as GET /api/approvers lists them. */
export interface ApproverView {
  userId: string;
  email: string;
  name: string;
  roles: Role[];
  enrolled: boolean;
  enrolledAt: string | null;
  publicKey: string | null;
}

/** A sealing key as GET /api/keys shows it. Throwaway keys' logs can never be opened. */
export interface SealingKeyView {
  id: string;
  kind: 'throwaway' | 'ceremony';
  recipient: string;
  activatedAt: string;
  retiredAt: string | null;
  /** Ceremony keys only: k of the k-of-n quorum and who holds the n shares. */
  threshold: number | null;
  shareholders: Array<{ userId: string; roles: Role[] }>;
}

/** GET /api/keys */
export interface KeysStatus {
  /** The key new logs are sealed to; null while the sealing service is not running. */
  current: SealingKeyView | null;
  /** True while logs are sealed to a throwaway key (before the first ceremony): they can never be opened. */
  throwaway: boolean;
  history: SealingKeyView[];
  approvers: ApproverView[];
}
