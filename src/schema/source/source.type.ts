/** The `Source` object type and its kinds. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { SourceKind as SourceKindValue } from '../../data/schema';
import { Node } from '../node/node.interface';
import { DateTimeScalar } from '../scalars';
import { describedEnum } from '../register-enum';

/** What kind of source it is. */
export const SourceKind = describedEnum<SourceKindValue>('SourceKind', 'What kind of source it is.', {
  NEWS_OUTLET: 'A newspaper, broadcaster or news site.',
  NEWS_AGENCY: 'A news agency that supplies other outlets.',
  STATE_MEDIA: 'Media run by a state.',
  MONITORING_GROUP: 'A group that monitors and counts events, such as casualties.',
  OFFICIAL: 'An official body or spokesperson.',
});

/** Who reported an event or a figure. Relations are resolved in `SourceResolver`. */
@ObjectType('Source', { implements: Node, description: 'A news outlet, agency, monitoring group or official body that reported events, figures or quotes.' })
export class Source extends Node {
  @Field({ description: 'Stable, human-readable identifier (a-z, 0-9, -); source(slug:) fetches it.' })
  slug!: string;

  @Field({ description: 'Name of the source.' })
  name!: string;

  @Field(() => SourceKind, { description: 'What kind of source it is.' })
  kind!: SourceKindValue;

  @Field(() => String, { nullable: true, description: 'Who the source is, e.g. "London-based monitoring group".' })
  description?: string;

  @Field(() => String, { nullable: true, description: 'Where the source can be read, when known.' })
  url?: string;

  @Field(() => Int, { description: 'Revision number: 1 when created or first loaded, then +1 with every change.' })
  revision!: number;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it last changed through Dateline (an editor, or a hand edit of its file while served); null if it never changed.' })
  updatedAt!: string | null;
}
