/** The inputs that carry a place, an actor or a source in its file form, references by slug. */
import { Field, Float, InputType } from 'type-graphql';
import type { ActorKind as ActorKindValue, PlaceKind as PlaceKindValue, SourceKind as SourceKindValue } from '../../data/schema';
import { ActorKind } from '../actor/actor.type';
import { PlaceKind } from '../place/place.type';
import { SourceKind } from '../source/source.type';

const SLUG = 'Stable identifier: a-z, 0-9 and single hyphens; it never changes and names the record to update.';

/** A whole place, as in `places.json`. */
@InputType('PlaceInput', { description: 'A whole place, with the fields of an entry of places.json; every rule for that file applies, with the same wording. Saving replaces the whole record.' })
export class PlaceInput {
  @Field({ description: SLUG })
  slug!: string;

  @Field({ description: 'Name in English, as the sources write it.' })
  name!: string;

  @Field(() => PlaceKind, { description: 'What kind of place it is.' })
  kind!: PlaceKindValue;

  @Field(() => String, { nullable: true, description: 'Slug of the place this one lies in; it must exist and must not lie inside this one.' })
  parent?: string | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude in degrees, -90 to 90.' })
  latitude?: number | null;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude in degrees, -180 to 180.' })
  longitude?: number | null;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. "Asia/Damascus"; places without one use their parent\'s.' })
  timeZone?: string | null;
}

/** A whole actor, as in `actors.json`. */
@InputType('ActorInput', { description: 'A whole actor, with the fields of an entry of actors.json; every rule for that file applies, with the same wording. Saving replaces the whole record.' })
export class ActorInput {
  @Field({ description: SLUG })
  slug!: string;

  @Field({ description: 'Name, as the sources write it.' })
  name!: string;

  @Field(() => ActorKind, { description: 'What kind of actor it is.' })
  kind!: ActorKindValue;

  @Field(() => String, { nullable: true, description: 'Who this is, e.g. "Foreign Minister of Russia".' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Slug of the actor this one belongs to or acts for; it must exist.' })
  affiliation?: string | null;
}

/** A whole source, as in `sources.json`. */
@InputType('SourceInput', { description: 'A whole source, with the fields of an entry of sources.json; every rule for that file applies, with the same wording. Saving replaces the whole record.' })
export class SourceInput {
  @Field({ description: SLUG })
  slug!: string;

  @Field({ description: 'Name of the source.' })
  name!: string;

  @Field(() => SourceKind, { description: 'What kind of source it is.' })
  kind!: SourceKindValue;

  @Field(() => String, { nullable: true, description: 'Who the source is, e.g. "London-based monitoring group".' })
  description?: string | null;

  @Field(() => String, { nullable: true, description: 'Where the source can be read.' })
  url?: string | null;
}
