/**
 * Calendar arithmetic in the operator's time zone (one IANA zone for the whole installation:
 * statistics' days, daily caps, statement months, targeting and display). Only Intl is used, so
 * the server and the console compute the same boundaries, DST days of 23 and 25 hours included.
 */

/** The operator time zone when none is configured. */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (an unknown one throws a RangeError there). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local wall clock at an instant, as the fields of a date. */
export interface WallTime {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock of `timeZone` at `atMs`. */
export function wallTime(atMs: number, timeZone: string): WallTime {
  const w: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatFor(timeZone).formatToParts(atMs)) {
    if (p.type in w) w[p.type as keyof WallTime] = Number(p.value);
  }
  w.hour %= 24;
  return w;
}

/** The zone's offset from UTC (ms) at an instant. */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const w = wallTime(atMs, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(atMs / 1000) * 1000;
}

/**
 * The instant of local midnight starting a calendar date (month and day may overflow, as with
 * Date.UTC: day 32 is the next month's 1st). Where midnight does not exist (a zone that springs
 * forward at 00:00) it is the first instant of that date.
 */
export function localMidnightMs(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  // The offset at the wall time read as UTC is at most one transition off; a second look settles it.
  let at = wall - zoneOffsetMs(wall, timeZone);
  at = wall - zoneOffsetMs(at, timeZone);
  const w = wallTime(at, timeZone);
  // Skipped midnight: the wall time landed on the previous date's last hour; the date begins an hour on.
  if (Date.UTC(w.year, w.month - 1, w.day) < wall) at += 3_600_000;
  return at;
}

/**
 * Answers of a pure function of (instant, zone), remembered: a report walks the same days again
 * and again (its buckets, each campaign's price stretches), and every answer costs four Intl
 * formatToParts calls. Bounded: past MEMO_MAX answers per zone it starts over.
 */
const MEMO_MAX = 20_000;
function memo(fn: (ms: number, timeZone: string) => number): (ms: number, timeZone: string) => number {
  const byZone = new Map<string, Map<number, number>>();
  return (ms, timeZone) => {
    let m = byZone.get(timeZone);
    if (!m) byZone.set(timeZone, (m = new Map()));
    let v = m.get(ms);
    if (v === undefined) {
      v = fn(ms, timeZone);
      if (m.size >= MEMO_MAX) m.clear();
      m.set(ms, v);
    }
    return v;
  };
}

/** The start (local midnight) of the day `atMs` falls in. */
export const dayStartMs: (atMs: number, timeZone: string) => number = memo((atMs, timeZone) => {
  const w = wallTime(atMs, timeZone);
  return localMidnightMs(w.year, w.month, w.day, timeZone);
});

/** The start of the day after the one starting at `startMs` (23, 24 or 25 hours later). */
export const nextDayStartMs: (startMs: number, timeZone: string) => number = memo((startMs, timeZone) => {
  const w = wallTime(startMs + DAY_MS / 2, timeZone);
  return localMidnightMs(w.year, w.month, w.day + 1, timeZone);
});

/** The start of the day `days` days before (negative) or after the day starting at `startMs`. */
export function addDaysMs(startMs: number, days: number, timeZone: string): number {
  const w = wallTime(startMs + DAY_MS / 2, timeZone);
  return localMidnightMs(w.year, w.month, w.day + days, timeZone);
}

/** Local midnight of a YYYY-MM-DD date. */
export function dateStartMs(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return localMidnightMs(y, m, d, timeZone);
}

/** The local date (YYYY-MM-DD) an instant falls on. */
export function localDate(atMs: number, timeZone: string): string {
  const w = wallTime(atMs, timeZone);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The local starts of the days that begin in [fromMs, toMs), in order. */
export function dayStartsIn(fromMs: number, toMs: number, timeZone: string): number[] {
  const out: number[] = [];
  let d = dayStartMs(fromMs, timeZone);
  if (d < fromMs) d = nextDayStartMs(d, timeZone);
  for (; d < toMs; d = nextDayStartMs(d, timeZone)) out.push(d);
  return out;
}
