/** The `Event` object type and the small types that hang off it. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { Event as EventData } from '../../data/dataset';
import type { CasualtyKind as CasualtyKindValue, CountQualifier as CountQualifierValue, DatePrecision as DatePrecisionValue, EventCategory as EventCategoryValue, ParticipantRole as ParticipantRoleValue, PartOfDay as PartOfDayValue } from '../../data/schema';
import { Actor } from '../actor/actor.type';
import { Node } from '../node/node.interface';
import { DateScalar, DateTimeScalar } from '../scalars';
import { Source } from '../source/source.type';
import { CasualtyKind, CountQualifier, DatePrecision, EventCategory, EventStatus, ParticipantRole, PartOfDay } from './event.enums';
import { Retraction } from './retraction.type';

/** A dated news event. Relations (place, participants, sources...) are resolved in `EventResolver`. */
@ObjectType('Event', { implements: Node, description: 'A dated news event, with where it happened, who took part, what was reported and by whom.' })
export class Event extends Node {
  @Field({ description: 'Stable, human-readable identifier (a-z, 0-9, -); event(slug:) fetches it.' })
  slug!: string;

  @Field({ description: 'Headline of the event.' })
  title!: string;

  @Field({ description: 'What happened, in a few sentences drawn from the sources.' })
  summary!: string;

  @Field(() => EventCategory, { description: 'What kind of event it is.' })
  category!: EventCategoryValue;

  @Field(() => DateScalar, { description: 'Local calendar date on which the event happened or began.' })
  date!: string;

  @Field({ description: 'True when the sources say only that the event was under way on date, not when it began: date is then a day it was going on, not its first day.' })
  underWay!: boolean;

  @Field(() => DateScalar, { nullable: true, description: 'Last local date when the event spans several days; null otherwise.' })
  endDate!: string | null;

  @Field(() => DatePrecision, { description: 'How exactly the time of the event is known.' })
  precision!: DatePrecisionValue;

  @Field(() => PartOfDay, { nullable: true, description: 'Part of the day, when precision is PART_OF_DAY; null otherwise.' })
  partOfDay?: PartOfDayValue;

  @Field({ description: 'IANA time zone of the event\'s place, e.g. "Asia/Damascus"; date and endDate are local to it.' })
  timeZone!: string;

  @Field(() => DateTimeScalar, { nullable: true, description: 'The instant the event began; only when the time of day is actually known (precision HOUR or MINUTE).' })
  startsAt?: string;

  @Field({ description: 'The date as a person would say it, e.g. "Late on 4 November 2012".' })
  displayDate!: string;

  @Field(() => EventStatus, { description: 'PUBLISHED, or RETRACTED while the event is retracted.' })
  status!: EventData['status'];

  @Field(() => Retraction, { nullable: true, description: 'Why, when and by whom the event was retracted; null while it is published.' })
  retraction!: Retraction | null;

  @Field(() => Int, { description: 'Revision number: 1 when created or first loaded, then +1 with every change.' })
  revision!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last changed through Dateline (an editor, or a hand edit of its file while served); null if it never changed.' })
  updatedAt!: string | null;
}

/** An actor and the part it played in an event. */
@ObjectType('Participant', { description: 'An actor and the part it played in an event.' })
export class Participant {
  @Field(() => Actor, { description: 'Who took part.' })
  actor!: Actor;

  @Field(() => ParticipantRole, { description: 'The part they played.' })
  role!: ParticipantRoleValue;

  @Field(() => Source, { nullable: true, description: 'The one source that says this actor played this part, when the claim is that source\'s alone; null when the event\'s sources report it together.' })
  reportedBy?: Source;
}

/** A casualty figure as one source gave it. */
@ObjectType('CasualtyReport', { description: 'A casualty figure exactly as one source gave it; where sources disagree, each report stands on its own.' })
export class CasualtyReport {
  @Field(() => CasualtyKind, { description: 'Killed or injured.' })
  kind!: CasualtyKindValue;

  @Field(() => Int, { description: 'The number the source gave, never rounded.' })
  count!: number;

  @Field(() => CountQualifier, { description: 'How the source qualified the number: "at least 50" is 50 AT_LEAST.' })
  qualifier!: CountQualifierValue;

  @Field({ description: 'Who the victims were, in the source\'s words.' })
  victims!: string;

  @Field(() => Source, { description: 'The source that gave this figure.' })
  reportedBy!: Source;
}

/** One source's report of an event. */
@ObjectType('Attribution', { description: 'A source that reported an event, and what it reported.' })
export class Attribution {
  @Field(() => Source, { description: 'The source.' })
  source!: Source;

  @Field(() => String, { nullable: true, description: 'What this source reported, in brief.' })
  claim?: string;
}

/** Words someone said, as a source reported them. */
@ObjectType('Quote', { description: 'Words someone said, exactly as a source reported them.' })
export class Quote {
  @Field({ description: 'The words, as reported.' })
  text!: string;

  @Field(() => Actor, { description: 'Who said them.' })
  speaker!: Actor;

  @Field(() => Source, { nullable: true, description: 'The source that reported them, when known.' })
  reportedBy?: Source;
}
