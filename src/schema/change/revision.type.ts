/** `Revision`: one state of a record in its history, with what changed from the state before. */
import { Field, Int, ObjectType } from 'type-graphql';
import type { ChangeKind as ChangeKindValue, FileForm } from '../../data/change';
import { Connection } from '../connection/connection.type';
import { DateTimeScalar, JSONObjectScalar } from '../scalars';
import { ChangeKind } from './change-kind.enum';

/** One revision of a record; revision 1 of a record that never changed through Dateline is synthesized from the record as loaded. */
@ObjectType('Revision', { description: 'One state of a record in its history: who made it, when, why, and the record before and after, in its file form.' })
export class Revision {
  @Field(() => Int, { description: 'The revision number: 1 when created or first loaded, then +1 with every change.' })
  revision!: number;

  @Field(() => DateTimeScalar, { description: 'When the revision was committed (for revision 1 of a loaded record: when it was loaded).' })
  at!: string;

  @Field({ description: 'The editor who made it; "files" for the folder as loaded or edited by hand, "import" for a database import.' })
  editor!: string;

  @Field(() => String, { nullable: true, description: 'The editor\'s note, or the reason of a retraction; null when none was given.' })
  note!: string | null;

  @Field(() => ChangeKind, { description: 'What this revision did to the record.' })
  kind!: ChangeKindValue;

  @Field(() => [String], { description: 'Top-level fields of the file form that differ from the revision before (every field for revision 1).' })
  changedFields!: string[];

  @Field(() => JSONObjectScalar, { nullable: true, description: 'The record as it was, in its file form; null for revision 1.' })
  before!: FileForm | null;

  @Field(() => JSONObjectScalar, { description: 'The record as it became, in its file form.' })
  after!: FileForm;
}

/** `RevisionConnection` and `RevisionEdge`: a page of a record's revisions, oldest first. */
export const RevisionConnection = Connection(Revision, 'Revision', 'revisions');
