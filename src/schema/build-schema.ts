/** Builds the GraphQL schema from the type-graphql classes; the one place that lists the resolvers. */
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ActorResolver } from './actor/actor.resolver';
import { EventCountsResolver } from './event/event-counts.resolver';
import { EventResolver } from './event/event.resolver';
import { NodeResolver } from './node/node.resolver';
import { PlaceResolver } from './place/place.resolver';
import { SourceResolver } from './source/source.resolver';

let built: GraphQLSchema | undefined;

/** The Dateline schema; built once, since type-graphql's metadata is global. */
export function buildDatelineSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [EventResolver, PlaceResolver, ActorResolver, SourceResolver, NodeResolver, EventCountsResolver],
    validate: false,
  });
  // type-graphql has no option for the root type's description, so it is set on the built type.
  built.getQueryType()!.description =
    'The entry points of the Dateline API: events and their timeline, the places, actors and sources they refer to, and any entity by global ID.';
  return built;
}

/** The schema as SDL, sorted so that its text does not depend on the order classes were loaded in. */
export function printDatelineSchema(): string {
  return printSchema(lexicographicSortSchema(buildDatelineSchema()));
}
