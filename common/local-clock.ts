import { DEFAULT_TIME_ZONE, dayStartMs, isTimeZone, nextDayStartMs } from './local-time';

export { DEFAULT_TIME_ZONE };

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local hour (0–23) and weekday (0 = Sunday) in the targeting time zone, recomputed once per minute. */
export class LocalClock {
  private readonly format: Intl.DateTimeFormat;
  private minute = Number.NaN;
  hour = 0;
  weekday = 0;

  constructor(readonly timeZone: string) {
    // Throws a RangeError for an unknown zone, which the caller reports at start-up.
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
  }

  /** Updates `hour` and `weekday` for `nowMs` when the minute changed (time zones shift on minute boundaries at most). */
  update(nowMs: number): this {
    const minute = Math.floor(nowMs / 60_000);
    if (minute === this.minute) return this;
    this.minute = minute;
    for (const part of this.format.formatToParts(nowMs)) {
      if (part.type === 'hour') this.hour = Number(part.value) % 24;
      else if (part.type === 'weekday') this.weekday = WEEKDAYS[part.value] ?? 0;
    }
    return this;
  }
}

/** The operator time zone (ServerConfig.timeZone), Europe/Berlin when unset or unknown (with a warning). */
export function operatorTimeZone(timeZone: string | undefined, warn: (message: string) => void): string {
  const zone = timeZone?.trim() || DEFAULT_TIME_ZONE;
  if (isTimeZone(zone)) return zone;
  warn(`CREATIVE_ENGINE_TIME_ZONE "${zone}" is not a known time zone; using ${DEFAULT_TIME_ZONE}.`);
  return DEFAULT_TIME_ZONE;
}

/** The clock for the configured targeting time zone (see operatorTimeZone). */
export function targetingClock(timeZone: string | undefined, warn: (message: string) => void): LocalClock {
  return new LocalClock(operatorTimeZone(timeZone, warn));
}

/**
 * The operator's day an instant falls in, as the epoch ms of its local midnight: the start of daily
 * caps, per-visitor caps, the visitor key and reach. On the delivery path: the current day's bounds
 * are kept, so asking costs two comparisons until the day changes.
 */
export class DayClock {
  private start = 0;
  private end = 0;

  constructor(readonly timeZone: string) {}

  /** Local midnight (epoch ms) starting the day of `nowMs`. */
  dayOf(nowMs: number): number {
    if (nowMs >= this.start && nowMs < this.end) return this.start;
    const start = dayStartMs(nowMs, this.timeZone);
    // Only the latest day is kept: a look at an older instant (a restored count) does not move it back.
    if (start >= this.start) {
      this.start = start;
      this.end = nextDayStartMs(start, this.timeZone);
    }
    return start;
  }
}
