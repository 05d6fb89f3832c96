/** The `node` and `nodes` root fields: fetch any entity again by its global ID. */
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { DatelineContext } from '../context';
import { InvalidArgumentError } from '../../store/errors';
import { parseGlobalId, type NodeTypeName } from './global-id';

/** Most IDs one nodes call resolves, like the largest page. */
const MAX_IDS = 100;
import { Node } from './node.interface';

/** The entity of `type` with `slug`, tagged with its type for the `Node` interface; null when there is none. */
export function lookupNode(ctx: DatelineContext, type: NodeTypeName, slug: string): Node | null {
  const entity =
    type === 'Event' ? ctx.store.event(slug)
    : type === 'Place' ? ctx.store.place(slug)
    : type === 'Actor' ? ctx.store.actor(slug)
    : ctx.store.source(slug);
  return entity ? ({ ...entity, __typename: type } as unknown as Node) : null;
}

function lookup(ctx: DatelineContext, id: string, argument: string): Node | null {
  const { type, slug } = parseGlobalId(id, argument);
  return lookupNode(ctx, type, slug);
}

/** Resolves global IDs to entities. */
@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'The entity with this global ID, or null when there is none.' })
  node(@Arg('id', () => ID, { description: 'A global ID from an entity\'s id field.' }) id: string, @Ctx() ctx: DatelineContext): Node | null {
    return lookup(ctx, id, 'id');
  }

  @Query(() => [Node], { nullable: 'items', description: 'The entities with these global IDs, in the same order; null for any that does not exist.' })
  nodes(
    @Arg('ids', () => [ID], { description: 'Global IDs from entities\' id fields; at most 100.' }) ids: string[],
    @Ctx() ctx: DatelineContext,
  ): (Node | null)[] {
    if (ids.length > MAX_IDS) throw new InvalidArgumentError('ids', `has ${ids.length} IDs; at most ${MAX_IDS} are resolved per call`);
    return ids.map((id, i) => lookup(ctx, id, `ids[${i}]`));
  }
}
