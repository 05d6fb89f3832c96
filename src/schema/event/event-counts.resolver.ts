/** The `eventCounts` root field: a histogram of events by date, for zooming a timeline. */
import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { DateBucketCount } from '../../store/event-store-types';
import type { DatelineContext } from '../context';
import { DateBucket, EventCountsArgs } from './date-bucket.type';

/** Resolves `eventCounts` with one store call. */
@Resolver()
export class EventCountsResolver {
  @Query(() => [DateBucket], {
    description:
      'How many matching events overlap each day, week, month or year, empty buckets included, from the filter\'s from (else the first date of the data) to its to (else the last). At most 1000 buckets per call.',
  })
  eventCounts(@Args() { filter, bucket }: EventCountsArgs, @Ctx() { store }: DatelineContext): DateBucketCount[] {
    return store.eventCounts(filter ?? {}, bucket);
  }
}
