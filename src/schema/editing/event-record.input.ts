/**
 * The inputs that carry an event in its file form: `EventInput` (a whole event, to create) and `EventPatch` (fields
 * to change). Slugs, dates and instants are plain strings so that the data layer checks them with the very rules and
 * messages it applies to files, reported as user errors with their input path.
 */
import { Field, InputType, Int } from 'type-graphql';
import type {
  CasualtyKind as CasualtyKindValue,
  CountQualifier as CountQualifierValue,
  DatePrecision as DatePrecisionValue,
  EventCategory as EventCategoryValue,
  ParticipantRole as ParticipantRoleValue,
  PartOfDay as PartOfDayValue,
} from '../../data/schema';
import { CasualtyKind, CountQualifier, DatePrecision, EventCategory, ParticipantRole, PartOfDay } from '../event/event.enums';

/** An actor's part in an event, by slug. */
@InputType('ParticipantInput', { description: 'An actor\'s part in an event.' })
export class ParticipantInput {
  @Field({ description: 'Slug of the actor; it must exist (see the actors query or saveActor).' })
  actor!: string;

  @Field(() => ParticipantRole, { description: 'The part the actor played.' })
  role!: ParticipantRoleValue;

  @Field(() => String, { nullable: true, description: 'Slug of the source that says this actor took part, when that is one source\'s claim; it must exist.' })
  reportedBy?: string | null;
}

/** A casualty figure exactly as one source gave it. */
@InputType('CasualtyInput', { description: 'A casualty figure exactly as one source gave it; never rounded or upgraded.' })
export class CasualtyInput {
  @Field(() => CasualtyKind, { description: 'Killed or injured.' })
  kind!: CasualtyKindValue;

  @Field(() => Int, { description: 'The number the source gave; a whole number, 0 or more.' })
  count!: number;

  @Field(() => CountQualifier, { description: 'How the source qualified the number: "at least 50" is 50 AT_LEAST.' })
  qualifier!: CountQualifierValue;

  @Field({ description: 'Who the victims were, in the source\'s words.' })
  victims!: string;

  @Field({ description: 'Slug of the source that gave this figure; it must exist.' })
  reportedBy!: string;
}

/** What one source reported about an event. */
@InputType('AttributionInput', { description: 'A source that reported an event, and what it reported.' })
export class AttributionInput {
  @Field({ description: 'Slug of the source; it must exist.' })
  source!: string;

  @Field(() => String, { nullable: true, description: 'What this source reported, in brief.' })
  claim?: string | null;
}

/** Words someone said, as reported. */
@InputType('QuoteInput', { description: 'Words someone said, exactly as a source reported them.' })
export class QuoteInput {
  @Field({ description: 'The words, exactly as reported.' })
  text!: string;

  @Field({ description: 'Slug of the actor who said them; it must exist.' })
  speaker!: string;

  @Field(() => String, { nullable: true, description: 'Slug of the source that reported them, when known; it must exist.' })
  reportedBy?: string | null;
}

/** In a patch: what leaving a field out, giving null, or giving a list does. */
function described(what: string, patch: boolean, kind: 'required' | 'optional' | 'list'): string {
  if (!patch) return what;
  if (kind === 'list') return `${what} Left out: stays as it is; given: replaces the whole list; null: emptied.`;
  return kind === 'optional' ? `${what} Left out: stays as it is; null: removed.` : `${what} Left out: stays as it is.`;
}

/** The fields of an event file other than its slug, as input fields (type-graphql gives subclasses their fields); in a patch every one is optional. */
function EventFields(patch: boolean) {
  // Only EventInput and EventPatch are referenced, so this base type is not emitted on its own.
  @InputType(patch ? 'EventPatchFields' : 'EventInputFields', { description: 'The fields of an event file.' })
  abstract class Fields {
    @Field(() => String, { nullable: patch, description: described('Headline of the event.', patch, 'required') })
    title?: string | null;

    @Field(() => String, { nullable: patch, description: described('What happened, in a few sentences drawn from the sources.', patch, 'required') })
    summary?: string | null;

    @Field(() => EventCategory, { nullable: patch, description: described('What kind of event it is.', patch, 'required') })
    category?: EventCategoryValue | null;

    @Field(() => String, { nullable: patch, description: described('Local date YYYY-MM-DD on which it happened or began.', patch, 'required') })
    date?: string | null;

    @Field(() => Boolean, { nullable: true, description: described('True when the sources give only a day it was under way on, not the day it began.', patch, 'optional') })
    underWay?: boolean | null;

    @Field(() => String, { nullable: true, description: described('Last local date YYYY-MM-DD, when it spans several days.', patch, 'optional') })
    endDate?: string | null;

    @Field(() => DatePrecision, { nullable: patch, description: described('How exactly the time is known.', patch, 'required') })
    precision?: DatePrecisionValue | null;

    @Field(() => PartOfDay, { nullable: true, description: described('Part of the day; only with precision PART_OF_DAY.', patch, 'optional') })
    partOfDay?: PartOfDayValue | null;

    @Field(() => String, { nullable: true, description: described('RFC 3339 instant with offset at which it began; only with precision HOUR or MINUTE.', patch, 'optional') })
    startsAt?: string | null;

    @Field(() => String, { nullable: true, description: described('How a person would say the date; derived from date and precision when left out.', patch, 'optional') })
    displayDate?: string | null;

    @Field(() => String, { nullable: patch, description: described('Slug of the main place; it must exist.', patch, 'required') })
    place?: string | null;

    @Field(() => [String], { nullable: true, description: described('Slugs of other places involved; each must exist.', patch, 'list') })
    places?: string[] | null;

    @Field(() => [ParticipantInput], { nullable: true, description: described('Who took part, and in what role.', patch, 'list') })
    participants?: ParticipantInput[] | null;

    @Field(() => [CasualtyInput], { nullable: true, description: described('Casualty figures, each as one source gave it.', patch, 'list') })
    casualties?: CasualtyInput[] | null;

    @Field(() => [AttributionInput], { nullable: patch, description: described('Who reported it; at least one.', patch, 'list') })
    sources?: AttributionInput[] | null;

    @Field(() => [QuoteInput], { nullable: true, description: described('Words said at or about it, as reported.', patch, 'list') })
    quotes?: QuoteInput[] | null;

    @Field(() => [String], { nullable: true, description: described('Slugs of related events; each must exist.', patch, 'list') })
    related?: string[] | null;
  }
  return Fields;
}

/** A whole event, in the fields of an event file, with references by slug. */
@InputType('EventInput', { description: 'A whole event, with the fields of an event file and references by slug; every rule for event files applies, with the same wording.' })
export class EventInput extends EventFields(false) {
  @Field({ description: 'Stable identifier: a-z, 0-9 and single hyphens, e.g. "hama-checkpoint-bombing"; it never changes.' })
  slug!: string;
}

/** Fields of an event to change; a slug never changes. */
@InputType('EventPatch', { description: 'Fields of an event to change: a field left out stays as it is, a list given replaces the whole list, null removes an optional field or empties a list. The slug never changes. The event as patched must obey every rule for event files.' })
export class EventPatch extends EventFields(true) {}
