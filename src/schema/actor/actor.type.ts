/** The `Actor` object type and its kinds. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { ActorKind as ActorKindValue } from '../../data/schema';
import { Node } from '../node/node.interface';
import { DateTimeScalar } from '../scalars';
import { describedEnum } from '../register-enum';

/** What kind of actor it is. */
export const ActorKind = describedEnum<ActorKindValue>('ActorKind', 'What kind of actor it is.', {
  PERSON: 'A person.',
  STATE: 'A state, acting as a whole.',
  GOVERNMENT_FORCES: 'A state\'s army, police or other armed forces.',
  ARMED_GROUP: 'An armed group outside a state\'s forces.',
  ORGANIZATION: 'A non-governmental organization, party or movement.',
  INTERGOVERNMENTAL_ORGANIZATION: 'An organization of states, such as the Arab League.',
});

/** A person, state, force, group or organization in events. Relations are resolved in `ActorResolver`. */
@ObjectType('Actor', { implements: Node, description: 'A person, state, armed force, group or organization that takes part in events.' })
export class Actor extends Node {
  @Field({ description: 'Stable, human-readable identifier (a-z, 0-9, -); actor(slug:) fetches it.' })
  slug!: string;

  @Field({ description: 'Name, as the sources write it.' })
  name!: string;

  @Field(() => ActorKind, { description: 'What kind of actor it is.' })
  kind!: ActorKindValue;

  @Field(() => String, { nullable: true, description: 'Who this is, e.g. "Foreign Minister of Russia".' })
  description?: string;

  @Field(() => Int, { description: 'Revision number: 1 when created or first loaded, then +1 with every change.' })
  revision!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last changed through Dateline (an editor, or a hand edit of its file while served); null if it never changed.' })
  updatedAt!: string | null;
}
