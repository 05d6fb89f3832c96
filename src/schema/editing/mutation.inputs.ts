/** The one input object of each mutation. */
import { Field, InputType, Int } from 'type-graphql';
import { ActorInput, PlaceInput, SourceInput } from './catalogue-record.input';
import { EventInput, EventPatch } from './event-record.input';

const EXPECTED_REVISION = 'The revision the editor last read (the record\'s revision field). When the record has changed since, nothing changes and the answer is a STALE_REVISION user error giving the current revision.';
const SAVE_EXPECTED_REVISION = `Left out: create a new record, refused with DUPLICATE_SLUG if the slug is taken. Given: update the record with this slug. ${EXPECTED_REVISION}`;

/** `createEvent`'s input. */
@InputType('CreateEventInput', { description: 'A new event.' })
export class CreateEventInput {
  @Field(() => EventInput, { description: 'The event; its slug must not be taken.' })
  event!: EventInput;

  @Field(() => String, { nullable: true, description: 'Why it was added, for the revision history.' })
  note?: string | null;
}

/** `updateEvent`'s input. */
@InputType('UpdateEventInput', { description: 'A change to some fields of an event.' })
export class UpdateEventInput {
  @Field({ description: 'Slug of the event to change.' })
  slug!: string;

  @Field(() => Int, { description: EXPECTED_REVISION })
  expectedRevision!: number;

  @Field(() => EventPatch, { description: 'The fields to change.' })
  patch!: EventPatch;

  @Field({ description: 'Why it changed, for the revision history, e.g. "Death toll revised by SOHR".' })
  note!: string;
}

/** `retractEvent`'s input. */
@InputType('RetractEventInput', { description: 'The retraction of an event.' })
export class RetractEventInput {
  @Field({ description: 'Slug of the event to retract.' })
  slug!: string;

  @Field(() => Int, { description: EXPECTED_REVISION })
  expectedRevision!: number;

  @Field({ description: 'Why it is retracted; shown in its retraction and the revision history.' })
  reason!: string;
}

/** `restoreEvent`'s input. */
@InputType('RestoreEventInput', { description: 'The restoration of a retracted event.' })
export class RestoreEventInput {
  @Field({ description: 'Slug of the retracted event to publish again.' })
  slug!: string;

  @Field(() => Int, { description: EXPECTED_REVISION })
  expectedRevision!: number;

  @Field({ description: 'Why it is published again, for the revision history.' })
  note!: string;
}

/** `savePlace`'s input. */
@InputType('SavePlaceInput', { description: 'A place to create, or to replace as a whole.' })
export class SavePlaceInput {
  @Field(() => PlaceInput, { description: 'The whole place.' })
  place!: PlaceInput;

  @Field(() => Int, { nullable: true, description: SAVE_EXPECTED_REVISION })
  expectedRevision?: number | null;

  @Field(() => String, { nullable: true, description: 'Why it was saved, for the revision history.' })
  note?: string | null;
}

/** `saveActor`'s input. */
@InputType('SaveActorInput', { description: 'An actor to create, or to replace as a whole.' })
export class SaveActorInput {
  @Field(() => ActorInput, { description: 'The whole actor.' })
  actor!: ActorInput;

  @Field(() => Int, { nullable: true, description: SAVE_EXPECTED_REVISION })
  expectedRevision?: number | null;

  @Field(() => String, { nullable: true, description: 'Why it was saved, for the revision history.' })
  note?: string | null;
}

/** `saveSource`'s input. */
@InputType('SaveSourceInput', { description: 'A source to create, or to replace as a whole.' })
export class SaveSourceInput {
  @Field(() => SourceInput, { description: 'The whole source.' })
  source!: SourceInput;

  @Field(() => Int, { nullable: true, description: SAVE_EXPECTED_REVISION })
  expectedRevision?: number | null;

  @Field(() => String, { nullable: true, description: 'Why it was saved, for the revision history.' })
  note?: string | null;
}
