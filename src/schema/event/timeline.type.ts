/** The `timeline` root field's arguments and its days. */
import { ArgsType, Field, Int, ObjectType } from 'type-graphql';
import { DateScalar } from '../scalars';
import { EventFilterInput } from './event-filter.input';
import { Event } from './event.type';

/** Arguments of `timeline`: a date window and a filter. */
@ArgsType()
export class TimelineArgs {
  @Field(() => DateScalar, { nullable: true, description: 'First day, included; the start of the data when left out.' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last day, included; the end of the data when left out. At most 366 days after from.' })
  to?: string | null;

  @Field(() => EventFilterInput, { nullable: true, description: 'Which events to include; its from/to apply when the from/to arguments are left out.' })
  filter?: EventFilterInput | null;
}

/** The events of one local date. */
@ObjectType('TimelineDay', { description: 'One local calendar date and the events on it.' })
export class TimelineDay {
  @Field(() => DateScalar, { description: 'The local date.' })
  date!: string;

  @Field(() => Int, { description: 'How many events are on this date.' })
  eventCount!: number;

  @Field(() => [Event], { description: 'The events on this date, by slug.' })
  events!: Event[];
}
