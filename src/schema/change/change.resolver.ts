/** The change feed: `Query.changes` and the fields of `Change` that are worked out. */
import { Args, Ctx, FieldResolver, ID, Query, Resolver, Root, ArgsType, Field, Int } from 'type-graphql';
import type { CommittedChange } from '../../data/change';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import { numberCursor, pageOfNumbered } from '../connection/numbered-page';
import type { DatelineContext } from '../context';
import { lookupNode } from '../node/node.resolver';
import { Node } from '../node/node.interface';
import { globalId } from '../node/global-id';
import { Change, ChangeConnection } from './change.type';

/** Cursor kind of the change feed: a cursor encodes a change's `seq`. */
export const CHANGE_CURSOR_KIND = 'change.seq';

/** Arguments of `changes`: the feed is read forward only, from the start or from a saved cursor. */
@ArgsType()
export class ChangesArgs {
  @Field(() => Int, { nullable: true, description: 'How many changes to return, 1 to 100. Defaults to 20.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the changes committed after this one: a cursor from an earlier answer (endCursor or a change\'s cursor); from the first change when left out.' })
  after?: string | null;
}

/** Resolves `changes` and `Change.cursor`, `Change.entity` and `Change.entityId`. */
@Resolver(() => Change)
export class ChangeResolver {
  @Query(() => ChangeConnection, {
    description: 'Every change to the data since it was first loaded, in the order the changes were committed, whoever made them. Save endCursor and pass it as after later to get exactly the changes not yet seen.',
  })
  changes(@Args() { first, after }: ChangesArgs, @Ctx() { history }: DatelineContext): ConnectionValue<CommittedChange> {
    const list = { cursorKind: CHANGE_CURSOR_KIND, items: history?.changes ?? [], numberOf: (c: CommittedChange) => c.seq };
    return toConnection(pageOfNumbered(list, { first, after }));
  }

  @FieldResolver(() => String, { description: 'Opaque cursor of this change; pass it to changes(after:) to resume right after it.' })
  cursor(@Root() change: CommittedChange): string {
    return numberCursor(CHANGE_CURSOR_KIND, change.seq);
  }

  @FieldResolver(() => Node, { description: 'The record that changed, as it is now (an Event, Place, Actor or Source).' })
  entity(@Root() change: CommittedChange, @Ctx() ctx: DatelineContext): Node {
    return lookupNode(ctx, change.entity.type, change.entity.slug)!;
  }

  @FieldResolver(() => ID, { description: 'Global ID of the record that changed, for clients that keep records by ID.' })
  entityId(@Root() change: CommittedChange): string {
    return globalId(change.entity.type, change.entity.slug);
  }
}
