/**
 * type-graphql wraps every `resolveType` in an async function; graphql-jit needs the type of an
 * abstract value synchronously. Values tagged with `__typename` (what the node resolver returns)
 * are resolved from the tag at once; anything else still goes to type-graphql's function.
 */
import { isAbstractType, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';

const done = new WeakSet<GraphQLSchema>();

/** Makes the schema's interfaces and unions resolve `__typename`-tagged values synchronously; the answer is the same. */
export function resolveTaggedTypesSynchronously(schema: GraphQLSchema): void {
  if (done.has(schema)) return;
  done.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isAbstractType(type) || !type.resolveType) continue;
    const original: GraphQLTypeResolver<unknown, unknown> = type.resolveType;
    type.resolveType = (value, context, info, abstractType) => {
      const tag = (value as { __typename?: unknown } | null)?.__typename;
      return typeof tag === 'string' ? tag : original(value, context, info, abstractType);
    };
  }
}
