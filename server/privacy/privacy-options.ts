import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REQUEST_KINDS, type RequestKind } from '../../common/schemas/requests';

/**
 * How long personal data are kept once nobody needs them for the business any more. Defaults are
 * the shortest defensible: German commercial and tax law for the records that must be kept
 * (HGB §257 / AO §147: commercial letters and contracts 6 years, invoices and vouchers 10 years,
 * each counted from the end of the calendar year of the record), nothing beyond that for the rest.
 */
export interface PersonalDataRetention {
  /** Years a customer is kept (restricted) after the calendar year of its last contract record. */
  contractYears: number;
  /** Years a customer is kept (restricted) after the calendar year of its last invoice record. */
  invoiceYears: number;
  /** Days other contact data of a restricted customer are kept (0: erased at the next retention run). */
  contactDays: number;
  /** Days a closed request's personal data are kept, restricted, per kind (0: deleted when closed). */
  requestDays: Record<RequestKind, number>;
}

/** Settings of the privacy lifecycle; every field is optional (ServerConfig.privacy). */
export interface PrivacyOptions {
  /** Key file outside the data directory, used when the OS keychain is not wanted or not available. */
  dataKeyFile?: string;
  retention?: Partial<Omit<PersonalDataRetention, 'requestDays'>> & { requestDays?: Partial<Record<RequestKind, number>> };
}

export const DEFAULT_RETENTION: PersonalDataRetention = {
  contractYears: 6,
  invoiceYears: 10,
  contactDays: 0,
  requestDays: Object.fromEntries(REQUEST_KINDS.map((k) => [k, 0])) as Record<RequestKind, number>,
};

/** Merges configured periods over the defaults. */
export function retentionPolicy(options: PrivacyOptions | undefined): PersonalDataRetention {
  const r = options?.retention ?? {};
  return {
    contractYears: r.contractYears ?? DEFAULT_RETENTION.contractYears,
    invoiceYears: r.invoiceYears ?? DEFAULT_RETENTION.invoiceYears,
    contactDays: r.contactDays ?? DEFAULT_RETENTION.contactDays,
    requestDays: { ...DEFAULT_RETENTION.requestDays, ...r.requestDays },
  };
}

/**
 * Parses `--personal-data-retention` (`contracts=6y,invoices=10y,contact=0d,requests=0d,requests.erasure=1095d`).
 * Throws an Error whose message names the bad part.
 */
export function parseRetentionFlag(value: string): NonNullable<PrivacyOptions['retention']> {
  const out: NonNullable<PrivacyOptions['retention']> = {};
  const requestDays: Partial<Record<RequestKind, number>> = {};
  let allRequests: number | undefined;
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z.]+)=(\d{1,5})([yd])$/.exec(part);
    if (!m) throw new Error(`"${part}" is not KIND=N followed by y (years) or d (days), e.g. contracts=6y or contact=0d.`);
    const [, key, num, unit] = m as unknown as [string, string, string, 'y' | 'd'];
    const n = Number(num);
    const need = (u: 'y' | 'd') => {
      if (unit !== u) throw new Error(`${key} is given in ${u === 'y' ? 'years (y)' : 'days (d)'}.`);
    };
    if (key === 'contracts') {
      need('y');
      out.contractYears = n;
    } else if (key === 'invoices') {
      need('y');
      out.invoiceYears = n;
    } else if (key === 'contact') {
      need('d');
      out.contactDays = n;
    } else if (key === 'requests') {
      need('d');
      allRequests = n;
    } else if (key.startsWith('requests.') && (REQUEST_KINDS as readonly string[]).includes(key.slice(9))) {
      need('d');
      requestDays[key.slice(9) as RequestKind] = n;
    } else {
      throw new Error(`unknown record kind "${key}"; use contracts, invoices, contact, requests or requests.<kind>.`);
    }
  }
  if (allRequests !== undefined) for (const k of REQUEST_KINDS) requestDays[k] ??= allRequests;
  if (Object.keys(requestDays).length) out.requestDays = requestDays;
  return out;
}

/**
 * The periods `serve` runs with are written to this data-directory file at start, so that
 * `retention run` (cron, another process without serve's flags) erases on the same schedule.
 */
export const RETENTION_POLICY_FILE = 'personal-data-retention.json';

const savedPolicySchema = z.strictObject({
  contractYears: z.number().int().min(0).max(100),
  invoiceYears: z.number().int().min(0).max(100),
  contactDays: z.number().int().min(0).max(36_500),
  requestDays: z.partialRecord(z.enum(REQUEST_KINDS), z.number().int().min(0).max(36_500)),
});

/** Writes the effective periods of a running server (see RETENTION_POLICY_FILE). */
export function saveRetentionPolicy(dataDir: string, policy: PersonalDataRetention): void {
  const file = path.join(dataDir, RETENTION_POLICY_FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(policy, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

/** The periods to apply: configured ones, else those the last `serve` wrote, else the defaults. */
export function loadRetentionPolicy(config: { dataDir: string; privacy?: PrivacyOptions }): PersonalDataRetention {
  if (config.privacy?.retention) return retentionPolicy(config.privacy);
  let text: string;
  try {
    text = fs.readFileSync(path.join(config.dataDir, RETENTION_POLICY_FILE), 'utf8');
  } catch {
    return retentionPolicy(undefined);
  }
  const saved = savedPolicySchema.safeParse(JSON.parse(text));
  if (!saved.success) throw new Error(`${RETENTION_POLICY_FILE} in the data directory is damaged; start serve once to rewrite it.`);
  return retentionPolicy({ retention: saved.data });
}
