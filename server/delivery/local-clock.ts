/** Default time zone for hour-of-day and weekday targeting. */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

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

/** The clock for the configured targeting time zone (ServerConfig.timeZone), falling back to Europe/Berlin when unset or unknown. */
export function targetingClock(timeZone: string | undefined, warn: (message: string) => void): LocalClock {
  const zone = timeZone?.trim() || DEFAULT_TIME_ZONE;
  try {
    return new LocalClock(zone);
  } catch {
    warn(`CREATIVE_ENGINE_TIME_ZONE "${zone}" is not a known time zone; using ${DEFAULT_TIME_ZONE}.`);
    return new LocalClock(DEFAULT_TIME_ZONE);
  }
}
