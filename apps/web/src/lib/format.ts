// How the SPA writes numbers, shares, durations and instants (pure), in one place: digits and separators of the
// user's locale (Intl), instants on the wall clock of the plant's IANA time zone. A ratio that does not apply is
// the catalogue's "n/a", never 0 %; a missing value is a dash. Units are SI symbols (s, min, h, d), which read
// the same in every language the SPA speaks.
import { isStartOfLocalDay } from './zoned-time.ts';

export const NO_VALUE = '—';

export type TTimeRange = { fromMs: number; toMs: number };

const DAY = { weekday: 'short', day: 'numeric', month: 'short' } as const;
const DAY_YEAR = { ...DAY, year: 'numeric' } as const;
const TIME = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
const DATE_TIME = { ...DAY_YEAR, ...TIME } as const;
const WEEKDAY_DATE_TIME = { ...DAY, ...TIME } as const;
const SHORT_DATE_TIME = { day: 'numeric', month: 'short', ...TIME } as const;
const NUMERIC_DATE_TIME = { dateStyle: 'short', timeStyle: 'medium' } as const;

const DURATION_UNITS: [symbol: string, sizeSec: number][] = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
];

/** The formatters of one locale; `notApplicable` is the word for a ratio without a denominator. */
export function createFormat(locale: string, notApplicable: string) {
  const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
  const numberFormat = (options: Intl.NumberFormatOptions): Intl.NumberFormat => {
    const key = `n${JSON.stringify(options)}`;
    let format = cache.get(key) as Intl.NumberFormat | undefined;
    if (format === undefined) cache.set(key, (format = new Intl.NumberFormat(locale, options)));
    return format;
  };
  const dateFormat = (timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
    const key = `d${timeZone}${JSON.stringify(options)}`;
    let format = cache.get(key) as Intl.DateTimeFormat | undefined;
    if (format === undefined) cache.set(key, (format = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
    return format;
  };
  const fixed = (value: number, decimals: number) =>
    numberFormat({ minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);

  /** A whole count: "1,200" (en), "1.200" (de). */
  const count = (value: number) => numberFormat({ maximumFractionDigits: 0 }).format(value);

  /** Seconds with their two largest non-zero units ("3 d 4 h", "12 min", "59 s"); nonsense is a dash. */
  function duration(totalSec: number): string {
    if (!Number.isFinite(totalSec) || totalSec < 0) return NO_VALUE;
    const seconds = Math.floor(totalSec);
    if (seconds < 60) return `${count(seconds)} s`;
    const parts: string[] = [];
    let rest = seconds;
    for (const [symbol, sizeSec] of DURATION_UNITS) {
      const amount = Math.floor(rest / sizeSec);
      rest -= amount * sizeSec;
      if (amount > 0) parts.push(`${count(amount)} ${symbol}`);
      if (parts.length === 2 || (parts.length === 1 && amount === 0)) break;
    }
    return parts.join(' ');
  }

  /** Seconds as hours: one decimal below 100 h, whole hours above (a tenth of an hour is noise in 1,950 h). */
  const hours = (seconds: number) => {
    const value = seconds / 3600;
    return `${fixed(value, Math.abs(value) < 100 ? 1 : 0)} h`;
  };

  return {
    locale,
    notApplicable,
    count,
    duration,
    hours,

    /** A signed count for adjustments: "+5", "−5", "0". */
    signedCount(value: number): string {
      const magnitude = count(Math.abs(value));
      if (value > 0) return `+${magnitude}`;
      return value < 0 ? `−${magnitude}` : magnitude;
    },

    /** A number with a fixed number of decimals. */
    decimal: fixed,

    /** A ratio as a percentage with one decimal; null (no denominator) is "n/a", never 0 %. */
    percent(ratio: number | null): string {
      if (ratio === null || !Number.isFinite(ratio)) return notApplicable;
      return numberFormat({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ratio);
    },

    /** A duration that may be absent (MTBF without a failure). */
    optionalDuration(seconds: number | null): string {
      return seconds === null ? notApplicable : duration(seconds);
    },

    /**
     * An amount of production time: hours with one decimal from one hour up (summed over machines a site's day
     * runs to hundreds of hours, which "9 d 5 h" would disguise), minutes and seconds below.
     */
    timeAmount(seconds: number): string {
      const sign = seconds < 0 ? '−' : '';
      const magnitudeSec = Math.abs(seconds);
      return sign + (magnitudeSec < 3600 ? duration(magnitudeSec) : hours(magnitudeSec));
    },

    /** Parts per hour: whole parts from 10 / h up, one decimal below; a dash before the API knows a rate. */
    runRate(partsPerHour: number | null): string {
      if (partsPerHour === null || !Number.isFinite(partsPerHour)) return NO_VALUE;
      return `${fixed(partsPerHour, partsPerHour < 10 ? 1 : 0)} / h`;
    },

    /** A time of day in the zone: "14:02". */
    time: (ms: number, timeZone: string) => dateFormat(timeZone, TIME).format(ms),

    /** A day in the zone: "Wed, Nov 25". */
    day: (ms: number, timeZone: string) => dateFormat(timeZone, DAY).format(ms),

    /** A day with its year in the zone: "Wed, Nov 25, 2026". */
    dayWithYear: (ms: number, timeZone: string) => dateFormat(timeZone, DAY_YEAR).format(ms),

    /** Date and time in the zone: "Wed, Nov 25, 2026, 14:02". */
    dateTime: (ms: number, timeZone: string) => dateFormat(timeZone, DATE_TIME).format(ms),

    /** Date and time in numbers, to the second, for long tables: "11/25/26, 14:02:05". */
    numericDateTime: (ms: number, timeZone: string) => dateFormat(timeZone, NUMERIC_DATE_TIME).format(ms),

    /** A range in words: one local day as that day, whole days as first–last day, anything else with times. */
    range(range: TTimeRange, timeZone: string): string {
      if (isStartOfLocalDay(range.fromMs, timeZone) && isStartOfLocalDay(range.toMs, timeZone)) {
        // The last day is the one the last millisecond falls on (the end is exclusive).
        const days = dateFormat(timeZone, DAY_YEAR);
        const first = days.format(range.fromMs);
        return first === days.format(range.toMs - 1) ? first : days.formatRange(range.fromMs, range.toMs - 1);
      }
      return dateFormat(timeZone, DATE_TIME).formatRange(range.fromMs, range.toMs);
    },

    /** An instant as the plant reads it: "Wed, Nov 25, 14:02" in the site's zone; a dash when there is none. */
    plantDateTime(iso: string | null, timeZone: string): string {
      return iso === null ? NO_VALUE : dateFormat(timeZone, WEEKDAY_DATE_TIME).format(Date.parse(iso));
    },

    /**
     * The same without the weekday ("Nov 25, 14:02"), for table columns; with the year ("Jan 15, 2030, 07:00")
     * when it is not the plant's current year.
     */
    plantDateTimeShort(iso: string | null, timeZone: string, nowMs: number): string {
      if (iso === null) return NO_VALUE;
      const ms = Date.parse(iso);
      const year = dateFormat(timeZone, { year: 'numeric' });
      const isThisYear = year.format(ms) === year.format(nowMs);
      return dateFormat(timeZone, isThisYear ? SHORT_DATE_TIME : { ...SHORT_DATE_TIME, year: 'numeric' }).format(ms);
    },

    /** With the year and the zone's short name, for the detail panel ("…, 2026, 14:02 GMT+1"). */
    plantDateTimeLong(iso: string | null, timeZone: string): string {
      if (iso === null) return NO_VALUE;
      return dateFormat(timeZone, { ...WEEKDAY_DATE_TIME, year: 'numeric', timeZoneName: 'short' }).format(
        Date.parse(iso),
      );
    },
  };
}

export type TFormat = ReturnType<typeof createFormat>;
