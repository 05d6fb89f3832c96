/** What each mutation answers: the record as it now is (null when refused) and every problem found. */
import { Field, ObjectType } from 'type-graphql';
import type { Actor as ActorData, Event as EventData, Place as PlaceData, Source as SourceData } from '../../data/dataset';
import { Actor } from '../actor/actor.type';
import { Event } from '../event/event.type';
import { Place } from '../place/place.type';
import { Source } from '../source/source.type';
import { UserError } from './user-error.type';

const USER_ERRORS = 'Every problem with the input; empty when the change was committed. Any problem means nothing changed.';
const recordDescription = (noun: string) =>
  `The ${noun} as it is after the change, with its new revision; null when the input had problems and nothing changed.`;

/** The answer of `createEvent`, `updateEvent`, `retractEvent` and `restoreEvent`. */
@ObjectType('EventMutationPayload', { description: 'The answer of a mutation of an event: the event as it now is, or the problems that stopped the change.' })
export class EventMutationPayload {
  @Field(() => Event, { nullable: true, description: recordDescription('event') })
  event!: EventData | null;

  @Field(() => [UserError], { description: USER_ERRORS })
  userErrors!: UserError[];
}

/** The answer of `savePlace`. */
@ObjectType('PlaceMutationPayload', { description: 'The answer of savePlace: the place as it now is, or the problems that stopped the change.' })
export class PlaceMutationPayload {
  @Field(() => Place, { nullable: true, description: recordDescription('place') })
  place!: PlaceData | null;

  @Field(() => [UserError], { description: USER_ERRORS })
  userErrors!: UserError[];
}

/** The answer of `saveActor`. */
@ObjectType('ActorMutationPayload', { description: 'The answer of saveActor: the actor as it now is, or the problems that stopped the change.' })
export class ActorMutationPayload {
  @Field(() => Actor, { nullable: true, description: recordDescription('actor') })
  actor!: ActorData | null;

  @Field(() => [UserError], { description: USER_ERRORS })
  userErrors!: UserError[];
}

/** The answer of `saveSource`. */
@ObjectType('SourceMutationPayload', { description: 'The answer of saveSource: the source as it now is, or the problems that stopped the change.' })
export class SourceMutationPayload {
  @Field(() => Source, { nullable: true, description: recordDescription('source') })
  source!: SourceData | null;

  @Field(() => [UserError], { description: USER_ERRORS })
  userErrors!: UserError[];
}
