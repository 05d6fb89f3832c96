/** Calendar buckets (days, ISO weeks, months, years) over a range of `YYYY-MM-DD` dates, for histograms. */
import { addDays, toDayNumber } from '../data/dates';

/** How wide one histogram bucket is. */
export type BucketSize = 'DAY' | 'WEEK' | 'MONTH' | 'YEAR';

/** One bucket: its first and last date, both included. */
export interface DateRange {
  start: string;
  end: string;
}

/** The first date of the bucket of `size` that contains `date`; weeks start on Monday (ISO 8601). */
export function bucketStart(date: string, size: BucketSize): string {
  switch (size) {
    case 'DAY':
      return date;
    case 'WEEK': {
      // Day 0 (1970-01-01) was a Thursday, so Monday-based weekday = (n + 3) mod 7.
      const weekday = (((toDayNumber(date) + 3) % 7) + 7) % 7;
      return addDays(date, -weekday);
    }
    case 'MONTH':
      return `${date.slice(0, 7)}-01`;
    case 'YEAR':
      return `${date.slice(0, 4)}-01-01`;
  }
}

/** The first date of the bucket after the one that starts on `start`. */
export function nextBucketStart(start: string, size: BucketSize): string {
  switch (size) {
    case 'DAY':
      return addDays(start, 1);
    case 'WEEK':
      return addDays(start, 7);
    case 'MONTH': {
      const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7))];
      return m === 12 ? `${pad(y + 1, 4)}-01-01` : `${pad(y, 4)}-${pad(m + 1, 2)}-01`;
    }
    case 'YEAR':
      return `${pad(Number(start.slice(0, 4)) + 1, 4)}-01-01`;
  }
}

/** How many buckets of `size` cover `from`..`to` (both included), without building them. */
export function countBuckets(from: string, to: string, size: BucketSize): number {
  if (from > to) return 0;
  const [y1, m1, y2, m2] = [Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  switch (size) {
    case 'DAY':
      return toDayNumber(to) - toDayNumber(from) + 1;
    case 'WEEK':
      return (toDayNumber(bucketStart(to, 'WEEK')) - toDayNumber(bucketStart(from, 'WEEK'))) / 7 + 1;
    case 'MONTH':
      return (y2 - y1) * 12 + (m2 - m1) + 1;
    case 'YEAR':
      return y2 - y1 + 1;
  }
}

/** The buckets of `size` that cover `from`..`to`, in order; the first and last are cut to the range. */
export function dateBuckets(from: string, to: string, size: BucketSize): DateRange[] {
  const out: DateRange[] = [];
  for (let start = bucketStart(from, size); start <= to; start = nextBucketStart(start, size)) {
    const end = addDays(nextBucketStart(start, size), -1);
    out.push({ start: start < from ? from : start, end: end > to ? to : end });
  }
  return out;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
