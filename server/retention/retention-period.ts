import { monthStart } from '../sealing/segment-names';

/** How long sealed logs are kept after the end of the month they were written in (one of the two). */
export interface SealedRetention {
  months?: number;
  days?: number;
}

/** The policy's ceiling (DESIGN rule 5): three months after the end of the month. */
export const MAX_SEALED_RETENTION_MONTHS = 3;
/** The most days that never exceed three months after any month's end (February to April: 89 days). */
export const MAX_SEALED_RETENTION_DAYS = 89;

/** A configuration mistake in the retention period; the message says what is allowed. */
export class RetentionConfigError extends Error {
  override name = 'RetentionConfigError';
}

/**
 * Checks a configured period and fills in the default (3 months). A longer period is refused:
 * the privacy policy promises deletion at the latest three months after the end of the month.
 */
export function validateSealedRetention(r: SealedRetention | undefined): Required<Pick<SealedRetention, 'months'>> | Required<Pick<SealedRetention, 'days'>> {
  if (!r || (r.months === undefined && r.days === undefined)) return { months: MAX_SEALED_RETENTION_MONTHS };
  if (r.months !== undefined && r.days !== undefined) {
    throw new RetentionConfigError('Give the sealed-log retention in months or in days, not both.');
  }
  if (r.months !== undefined) {
    if (!Number.isInteger(r.months) || r.months < 1 || r.months > MAX_SEALED_RETENTION_MONTHS) {
      throw new RetentionConfigError(
        `Sealed access logs may be kept at most ${MAX_SEALED_RETENTION_MONTHS} months after the end of their month; the retention must be 1 to 3 months, not ${String(r.months)}.`,
      );
    }
    return { months: r.months };
  }
  if (!Number.isInteger(r.days) || r.days! < 0 || r.days! > MAX_SEALED_RETENTION_DAYS) {
    throw new RetentionConfigError(
      `Sealed access logs may be kept at most ${MAX_SEALED_RETENTION_MONTHS} months after the end of their month; in days that is 0 to ${MAX_SEALED_RETENTION_DAYS}, not ${String(r.days)}.`,
    );
  }
  return { days: r.days! };
}

/**
 * The instant a month's sealed logs must be gone: the end of the month plus the period, in UTC
 * (logged any day in January with the default → 1 May 00:00:00.000 UTC). Null for a folder name
 * that is not a month.
 */
export function sealedDeletionTime(month: string, r: SealedRetention | undefined): Date | null {
  const start = monthStart(month);
  if (!start) return null;
  const period = validateSealedRetention(r);
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const ceiling = Date.UTC(y, m + 1 + MAX_SEALED_RETENTION_MONTHS, 1);
  const at = 'months' in period ? Date.UTC(y, m + 1 + period.months, 1) : Date.UTC(y, m + 1, 1 + period.days);
  return new Date(Math.min(at, ceiling));
}

/** Parses `--sealed-retention-months` / `--sealed-retention-days`; throws RetentionConfigError naming the flag. */
export function parseSealedRetentionFlags(months: string | undefined, days: string | undefined): SealedRetention | undefined {
  const int = (value: string, flag: string) => {
    if (!/^\d{1,4}$/.test(value)) throw new RetentionConfigError(`${flag} must be a whole number, not "${value}".`);
    return Number(value);
  };
  if (months === undefined && days === undefined) return undefined;
  const r: SealedRetention = {};
  if (months !== undefined) r.months = int(months, '--sealed-retention-months');
  if (days !== undefined) r.days = int(days, '--sealed-retention-days');
  validateSealedRetention(r);
  return r;
}
