/** The paging arguments every connection field takes. */
import { ArgsType, Field, Int } from 'type-graphql';

/** `first`/`after` page forward, `last`/`before` backward; a page holds 20 when neither size is given. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page forward: how many items to return, 1 to 100. Defaults to 20 when last is not given either.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items after this cursor (an endCursor or edge cursor from this list).' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Page backward: how many items to return from the end, 1 to 100. Cannot be combined with first.' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return items before this cursor (a startCursor or edge cursor from this list).' })
  before?: string | null;
}
