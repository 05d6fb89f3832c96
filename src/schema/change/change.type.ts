/** `Change`: one entry of the change feed; `cursor` and `entity` are resolved in `ChangeResolver`. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { ChangeKind as ChangeKindValue } from '../../data/change';
import { Connection } from '../connection/connection.type';
import { DateTimeScalar } from '../scalars';
import { ChangeKind } from './change-kind.enum';

/** One committed change, whoever made it (a mutation, a hand edit of a file, another replica). */
@ObjectType('Change', { description: 'One committed change to a record, in the order changes were committed: who made it, when, and the record as it is now.' })
export class Change {
  @Field(() => ChangeKind, { description: 'What the change did to the record.' })
  kind!: ChangeKindValue;

  @Field(() => DateTimeScalar, { description: 'When the change was committed.' })
  at!: string;

  @Field({ description: 'The editor who made it; "files" for a hand edit of the data folder.' })
  editor!: string;

  @Field(() => Int, { description: 'The revision of the record that this change made; its revisions field has the record before and after.' })
  revision!: number;

  @Field(() => String, { nullable: true, description: 'The editor\'s note, or the reason of a retraction; null when none was given.' })
  note!: string | null;

  @Field(() => [String], { description: 'Top-level fields of the record\'s file form that this change set or altered (every field for a creation).' })
  changedFields!: string[];
}

/** `ChangeConnection` and `ChangeEdge`: a page of the change feed, in commit order. */
export const ChangeConnection = Connection(Change, 'Change', 'changes');
