/** Which events a query is about. */
import { Field, InputType } from 'type-graphql';
import type { EventCategory as EventCategoryValue } from '../../data/schema';
import { DateScalar } from '../scalars';
import { EventCategory } from './event.enums';

/** Within one list the values are alternatives (OR); different fields all apply (AND). */
@InputType('EventFilter', { description: 'Which events to include. Within one list the values are alternatives (OR); different fields all apply (AND). An unknown slug is an error, not an empty result.' })
export class EventFilterInput {
  @Field(() => DateScalar, { nullable: true, description: 'First date, included: an event matches when [date, endDate] overlaps [from, to].' })
  from?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Last date, included. Must not be before from.' })
  to?: string | null;

  @Field(() => [EventCategory], { nullable: true, description: 'Events of any of these categories.' })
  categories?: EventCategoryValue[] | null;

  @Field(() => [String], { nullable: true, description: 'Place slugs: events at any of these places or any place inside them.' })
  places?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Actor slugs: events in which any of these actors took part or was quoted.' })
  actors?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Source slugs: events that any of these sources reported.' })
  sources?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Words to find, case- and accent-insensitive, in titles, summaries, quotes, and place and actor names; every word must match the start of a word. At most 200 characters.' })
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Also include retracted events (status RETRACTED); they are left out by default.' })
  includeRetracted?: boolean | null;
}
