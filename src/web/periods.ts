/** Headings for the page's timeline: an event known only to the month or year goes under that month or year, not a day. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A span of the calendar the page shows events under: a day, or a month or year when that is all the data knows. */
export interface Period<E> {
  /** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: also a valid HTML `<time datetime>`. */
  key: string;
  heading: string;
  events: E[];
}

function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday} ${d} ${MONTHS[m - 1]} ${y}`;
}

/** The period an event is shown under, from its date and how exactly it is known. */
export function periodOf(date: string, precision: string): { key: string; heading: string } {
  const [y, m] = date.split('-').map(Number);
  if (precision === 'YEAR') return { key: String(y), heading: String(y) };
  if (precision === 'MONTH') return { key: date.slice(0, 7), heading: `${MONTHS[m - 1]} ${y}` };
  return { key: date, heading: longDate(date) };
}

/** Splits the API's days into periods, keeping order: a day's year-precision events, then its month's, then its own. */
export function periodsOf<E extends { precision: string }>(days: { date: string; events: E[] }[]): Period<E>[] {
  const rank: Record<string, number> = { YEAR: 0, MONTH: 1 };
  const out: Period<E>[] = [];
  for (const day of days) {
    const sorted = [...day.events].sort((a, b) => (rank[a.precision] ?? 2) - (rank[b.precision] ?? 2));
    for (const e of sorted) {
      const { key, heading } = periodOf(day.date, e.precision);
      const last = out[out.length - 1];
      if (last && last.key === key) last.events.push(e);
      else out.push({ key, heading, events: [e] });
    }
  }
  return out;
}
