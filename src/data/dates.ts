/** Calendar-date arithmetic on `YYYY-MM-DD` strings, which sort in date order as plain strings. */
import type { DatePrecision, PartOfDay } from './schema';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const PART_OF_DAY_WORDS: Record<PartOfDay, string> = {
  EARLY: 'Early on',
  MORNING: 'On the morning of',
  MIDDAY: 'Around midday on',
  AFTERNOON: 'On the afternoon of',
  EVENING: 'On the evening of',
  LATE: 'Late on',
  NIGHT: 'On the night of',
};

/**
 * Most dates each memo below keeps. Data sets and requests use a few thousand distinct days (15 years is
 * ~5,500), converted again and again (every event on load, every date filter per request); past the bound,
 * dates are converted without being kept.
 */
const MAX_MEMO = 100_000;
const calendarDates = new Set<string>();
const dayNumbers = new Map<string, number>();
const datesOfDays = new Map<number, string>();

/** Whether `value` is a real calendar date written `YYYY-MM-DD` (so 2012-02-30 is not). */
export function isCalendarDate(value: string): boolean {
  if (calendarDates.has(value)) return true;
  const valid = checkCalendarDate(value);
  if (valid && calendarDates.size < MAX_MEMO) calendarDates.add(value);
  return valid;
}

function checkCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d); // unlike Date.UTC, keeps years 0-99 as written
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Days since 1970-01-01 of a valid calendar date. */
export function toDayNumber(date: string): number {
  let day = dayNumbers.get(date);
  if (day === undefined) {
    day = Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
    if (dayNumbers.size < MAX_MEMO) dayNumbers.set(date, day);
  }
  return day;
}

/** The calendar date `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  const day = toDayNumber(date) + days;
  let result = datesOfDays.get(day);
  if (result === undefined) {
    result = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (datesOfDays.size < MAX_MEMO) datesOfDays.set(day, result);
  }
  return result;
}

/** Number of calendar days from `from` to `to`, both included. */
export function daysInclusive(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from) + 1;
}

/** Formatters by zone: building one costs far more than using it, and data sets name few zones, many times. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function formatterFor(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let format = cache.get(timeZone);
  if (format === undefined) cache.set(timeZone, (format = make()));
  return format;
}

/** The local calendar date of an RFC 3339 instant in an IANA time zone. */
export function localDateOf(instant: string, timeZone: string): string {
  return formatterFor(dateFormats, timeZone, () =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  ).format(new Date(instant));
}

const knownZones = new Map<string, boolean>();

/** Whether the runtime knows `timeZone` as an IANA zone (remembered: data sets name few zones, many times). */
export function isTimeZone(timeZone: string): boolean {
  let known = knownZones.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(timeZone, known);
  }
  return known;
}

function dayMonthYear(date: string): [number, string, string] {
  const [y, m, d] = date.split('-');
  return [Number(d), MONTHS[Number(m) - 1], y];
}

/** Says a span of dates as a person would: "4 November 2012", "4-5 November 2012", "June 2012". */
export function describeDates(input: {
  date: string;
  endDate?: string | null;
  precision: DatePrecision;
  partOfDay?: PartOfDay;
  startsAt?: string;
  timeZone: string;
}): string {
  const [d, month, year] = dayMonthYear(input.date);
  if (input.precision === 'YEAR') return year;
  if (input.precision === 'MONTH') return `${month} ${year}`;
  const day = `${d} ${month} ${year}`;
  if (input.endDate && input.endDate !== input.date) {
    const [d2, month2, year2] = dayMonthYear(input.endDate);
    if (year2 !== year) return `${day} to ${d2} ${month2} ${year2}`;
    if (month2 !== month) return `${d} ${month} to ${d2} ${month2} ${year}`;
    return `${d}-${d2} ${month} ${year}`;
  }
  if (input.precision === 'PART_OF_DAY' && input.partOfDay) return `${PART_OF_DAY_WORDS[input.partOfDay]} ${day}`;
  if ((input.precision === 'HOUR' || input.precision === 'MINUTE') && input.startsAt) {
    const { timeZone } = input;
    const time = formatterFor(timeFormats, timeZone, () =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    ).format(new Date(input.startsAt));
    return input.precision === 'HOUR' ? `Around ${time} on ${day}` : `At ${time} on ${day}`;
  }
  return day;
}
