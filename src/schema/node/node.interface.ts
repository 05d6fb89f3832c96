/** The Relay `Node` interface every entity implements. */
import { Field, ID, InterfaceType } from 'type-graphql';

/** The type of a `Node` value: the node resolver tags what it returns with its type name. */
export const nodeTypeName = (value: { __typename?: string }): string | undefined => value.__typename;

/** Anything with a global ID that `node(id:)` can fetch again. */
@InterfaceType('Node', {
  description: 'An object with a global ID, which the node and nodes root fields resolve again.',
  resolveType: nodeTypeName,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id!: string;
}
