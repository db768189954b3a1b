// Names and places of sealed segments: `<sealedDir>/YYYY-MM/<YYYYMMDDTHH>-<keyId>-<n>.seal`, all UTC.
// Every record in a segment lies in the segment's hour, so the name alone tells which segments
// overlap a time window and which month (hence which retention date) a segment belongs to.

export const SEGMENT_SUFFIX = '.seal';
/** Suffix of the side file holding the torn tail cut from a segment after a crash. */
export const TORN_SUFFIX = '.torn';
/** Key ids as they may appear in segment names. */
export const KEY_ID_PATTERN = /^[a-z0-9_]{1,40}$/;
export const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const SEGMENT_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})-([a-z0-9_]{1,40})-(\d{1,9})\.seal$/;
const HOUR_MS = 3_600_000;

/** The parts of a segment's file name. */
export interface SegmentName {
  /** `YYYYMMDDTHH` (UTC). */
  hour: string;
  keyId: string;
  /** Sequence number within the hour and key (size rotation, restarts). */
  seq: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Hour bucket (ms since the epoch / 1 h) of a time in ms. */
export const hourBucket = (ms: number) => Math.floor(ms / HOUR_MS);

/** `YYYYMMDDTHH` of an hour bucket. */
export function hourKey(bucket: number): string {
  const d = new Date(bucket * HOUR_MS);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}`;
}

/** Start of the hour named by `YYYYMMDDTHH`. */
export function hourStart(hour: string): Date {
  return new Date(Date.UTC(Number(hour.slice(0, 4)), Number(hour.slice(4, 6)) - 1, Number(hour.slice(6, 8)), Number(hour.slice(9, 11))));
}

/** `YYYY-MM` directory of an hour `YYYYMMDDTHH`. */
export const monthOfHour = (hour: string) => `${hour.slice(0, 4)}-${hour.slice(4, 6)}`;

/** File name of a segment. */
export function segmentFileName(name: SegmentName): string {
  if (!KEY_ID_PATTERN.test(name.keyId)) throw new Error('Invalid sealing key id.');
  return `${name.hour}-${name.keyId}-${name.seq}${SEGMENT_SUFFIX}`;
}

/** Parses a segment's file name; null for anything else (torn side files, stray files). */
export function parseSegmentFileName(file: string): SegmentName | null {
  const m = SEGMENT_PATTERN.exec(file);
  if (!m) return null;
  const [, y, mo, d, h, keyId, seq] = m;
  const hour = `${y}${mo}${d}T${h}`;
  const start = hourStart(hour);
  // Reject impossible dates (20250231T00) rather than letting Date roll them over.
  if (Number.isNaN(start.getTime()) || hourKey(hourBucket(start.getTime())) !== hour) return null;
  return { hour, keyId: keyId!, seq: Number(seq) };
}

/** The first instant of a `YYYY-MM` month, or null when it is not one. */
export function monthStart(month: string): Date | null {
  const m = MONTH_PATTERN.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}
