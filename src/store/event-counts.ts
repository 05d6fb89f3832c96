/**
 * Counts a matching list of events per date bucket without reading the events one by one: the events that begin in
 * a bucket are a run of base positions (the base is in date order), counted by two ranks; only the events that run
 * over several days, and the overlay's few, are looked at, to add the later buckets they run into. So a histogram of
 * a million matching events costs its buckets' binary searches and its multi-day events, not a million steps.
 */
import type { Event } from '../data/dataset';
import type { DateRange } from './date-buckets';
import type { MergedList } from './merged-list';
import { lowerBoundBy, type StoreBase } from './store-base';

/**
 * How many events of `list` overlap each of `buckets` (contiguous and ascending, as `dateBuckets` makes them): an
 * event counts in every bucket its [date, endDate] meets.
 */
export function countByBucket(list: MergedList, base: StoreBase, buckets: readonly DateRange[]): number[] {
  const counts = new Array<number>(buckets.length).fill(0);
  if (!buckets.length) return counts;
  const events = base.events;
  // Base events that begin in each bucket: the buckets are contiguous, so each ends where the next begins.
  let lo = lowerBoundBy(events.length, (i) => events.at(i).date < buckets[0].start);
  for (let b = 0; b < buckets.length; b++) {
    const end = buckets[b].end;
    const hi = lowerBoundBy(events.length - lo, (k) => events.at(lo + k).date <= end) + lo;
    counts[b] = list.countInPositions(lo, hi);
    lo = hi;
  }
  for (const p of list.positionsAmong(base.multiDay)) addLaterBuckets(events.at(p), buckets, counts);
  for (const e of list.extraEvents) {
    const b = bucketOf(e.date, buckets);
    if (b < buckets.length && buckets[b].start <= e.date) counts[b]++;
    addLaterBuckets(e, buckets, counts);
  }
  return counts;
}

/** The first bucket that ends on or after `date` (the number of buckets when none does). */
function bucketOf(date: string, buckets: readonly DateRange[]): number {
  return lowerBoundBy(buckets.length, (i) => buckets[i].end < date);
}

/** Counts `event` in the buckets it runs into that begin after its date (the one it begins in is counted apart). */
function addLaterBuckets(event: Event, buckets: readonly DateRange[], counts: number[]): void {
  const end = event.endDate;
  if (end === null || end <= event.date) return;
  for (let b = bucketOf(event.date, buckets); b < buckets.length && buckets[b].start <= end; b++) if (buckets[b].start > event.date) counts[b]++;
}
