/** The `eventCounts` histogram: its bucket sizes, arguments and buckets. */
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import type { BucketSize as BucketSizeValue } from '../../store/date-buckets';
import { describedEnum } from '../register-enum';
import { DateScalar } from '../scalars';
import { EventFilterInput } from './event-filter.input';

/** How wide one histogram bucket is. */
export const BucketSize = describedEnum<BucketSizeValue>('BucketSize', 'How wide one bucket of the eventCounts histogram is.', {
  DAY: 'One calendar day.',
  WEEK: 'One ISO week, Monday to Sunday.',
  MONTH: 'One calendar month.',
  YEAR: 'One calendar year.',
});

/** Arguments of `eventCounts`: which events, and how wide a bucket. */
@ArgsType()
export class EventCountsArgs {
  @Field(() => EventFilterInput, { nullable: true, description: 'Which events to count; its from/to set the range, else the data\'s first and last date do.' })
  filter?: EventFilterInput | null;

  @Field(() => BucketSize, { defaultValue: 'DAY', description: 'How wide each bucket is. At most 1000 buckets per call.' })
  bucket!: BucketSizeValue;
}

/** How many events fall in one stretch of dates. */
@ObjectType('DateBucket', { description: 'One bucket of the eventCounts histogram: a stretch of dates and how many matching events overlap it.' })
export class DateBucket {
  @Field(() => DateScalar, { description: 'First date of the bucket, included; the first bucket starts at the range\'s start.' })
  start!: string;

  @Field(() => DateScalar, { description: 'Last date of the bucket, included; the last bucket ends at the range\'s end.' })
  end!: string;

  @Field(() => Int, { description: 'How many matching events overlap the bucket; an event spanning several buckets counts in each.' })
  count!: number;
}
