/** The `Place` object type and its kinds. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { PlaceKind as PlaceKindValue } from '../../data/schema';
import { Node } from '../node/node.interface';
import { DateTimeScalar } from '../scalars';
import { describedEnum } from '../register-enum';

/** What kind of place it is. */
export const PlaceKind = describedEnum<PlaceKindValue>('PlaceKind', 'What kind of place it is. More kinds may be added.', {
  COUNTRY: 'A country.',
  PROVINCE: 'A province or governorate within a country.',
  CITY: 'A city or town.',
  NEIGHBOURHOOD: 'A neighbourhood or district of a city.',
  CAMP: 'A camp, such as a refugee camp.',
  SITE: 'A single site, such as a checkpoint or a building.',
});

/** A place where events happen; places nest through `parent`. Relations are resolved in `PlaceResolver`. */
@ObjectType('Place', { implements: Node, description: 'A place where events happen: a country, a province, a city, down to a single site. Places nest inside each other.' })
export class Place extends Node {
  @Field({ description: 'Stable, human-readable identifier (a-z, 0-9, -); place(slug:) fetches it.' })
  slug!: string;

  @Field({ description: 'Name in English.' })
  name!: string;

  @Field(() => PlaceKind, { description: 'What kind of place it is.' })
  kind!: PlaceKindValue;

  @Field(() => Float, { nullable: true, description: 'WGS 84 latitude in degrees, when known.' })
  latitude?: number;

  @Field(() => Float, { nullable: true, description: 'WGS 84 longitude in degrees, when known.' })
  longitude?: number;

  @Field(() => String, { nullable: true, description: 'IANA time zone of the place, its own or the nearest enclosing place\'s.' })
  timeZone!: string | null;

  @Field(() => Int, { description: 'Revision number: 1 when created or first loaded, then +1 with every change.' })
  revision!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last changed through Dateline (an editor, or a hand edit of its file while served); null if it never changed.' })
  updatedAt!: string | null;
}
