/** Arguments of the event lists: the root `events` field and each entity's `events`. */
import { ArgsType, Field } from 'type-graphql';
import { ConnectionArgs } from '../connection/connection.args';
import { EventFilterInput } from './event-filter.input';
import { DEFAULT_EVENT_ORDER, EventOrderInput } from './event-order.input';

/** Paging and order for a place's, actor's or source's events. */
@ArgsType()
export class EntityEventsArgs extends ConnectionArgs {
  @Field(() => EventOrderInput, { nullable: true, defaultValue: DEFAULT_EVENT_ORDER, description: 'Order of the events; oldest first (DATE ASC) when left out.' })
  orderBy?: EventOrderInput | null;
}

/** Paging, order and filter for the root `events` field. */
@ArgsType()
export class EventsArgs extends EntityEventsArgs {
  @Field(() => EventFilterInput, { nullable: true, description: 'Which events to include; all when left out.' })
  filter?: EventFilterInput | null;
}
