/** The Relay `Node` interface every entity implements. */
import { Field, ID, InterfaceType } from 'type-graphql';

/** Anything with a global ID that `node(id:)` can fetch again. */
@InterfaceType('Node', {
  description: 'An object with a global ID, which the node and nodes root fields resolve again.',
  // The node resolver tags what it returns with its type name; graphql-js reads `__typename`.
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id!: string;
}
