/** How a list of events is ordered. */
import { Field, InputType } from 'type-graphql';
import type { Direction } from '../../store/pagination';
import { OrderDirection } from '../connection/order-direction.enum';
import { describedEnum } from '../register-enum';

/** The fields events can be ordered by. */
export const EventOrderField = describedEnum<'DATE'>('EventOrderField', 'What events can be ordered by. More fields may follow.', {
  DATE: 'The local date of the event; ties are broken by slug, so the order is total.',
});

/** An order for events: a field and a direction. */
@InputType('EventOrder', { description: 'The order of a list of events.' })
export class EventOrderInput {
  @Field(() => EventOrderField, { description: 'What to order by.' })
  field!: 'DATE';

  @Field(() => OrderDirection, { description: 'Ascending or descending.' })
  direction!: Direction;
}

/** The order used when a client gives none: oldest first. */
export const DEFAULT_EVENT_ORDER: EventOrderInput = Object.assign(new EventOrderInput(), { field: 'DATE', direction: 'ASC' });
