/** Builds the GraphQL schema from the type-graphql classes; the one place that lists the resolvers. */
import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync, type BuildSchemaOptions } from 'type-graphql';
import { ActorResolver } from './actor/actor.resolver';
import { ChangeResolver } from './change/change.resolver';
import { EventChangedResolver } from './change/event-changed.resolver';
import { CatalogueMutationResolver } from './editing/catalogue-mutation.resolver';
import { EventMutationResolver } from './editing/event-mutation.resolver';
import { EventCountsResolver } from './event/event-counts.resolver';
import { EventResolver } from './event/event.resolver';
import { NodeResolver } from './node/node.resolver';
import { PlaceResolver } from './place/place.resolver';
import { SourceResolver } from './source/source.resolver';
import { useDirectResolvers, type DirectResolverReport } from './direct-resolvers';

/** How to build the schema; the defaults are what the server runs. */
export interface DatelineSchemaOptions {
  /** Call resolver methods directly instead of through type-graphql's generic wrappers (see `direct-resolvers.ts`); default true. */
  directResolvers?: boolean;
  /**
   * Call direct resolvers with arguments synchronously, without type-graphql's async validation step; for
   * executors that use only error-free answers (see `useDirectResolvers`); default false.
   */
  synchronousArguments?: boolean;
}

let built: GraphQLSchema | undefined;

/** A new Dateline schema; type-graphql's metadata is global but may be built into any number of schemas. */
export function createDatelineSchema(options: DatelineSchemaOptions = {}): GraphQLSchema {
  return createDatelineSchemaWithReport(options).schema;
}

/** {@link createDatelineSchema}, also saying which fields got direct resolvers; null when none were asked for. */
export function createDatelineSchemaWithReport({ directResolvers = true, synchronousArguments = false }: DatelineSchemaOptions = {}): {
  schema: GraphQLSchema;
  report: DirectResolverReport | null;
} {
  const options: BuildSchemaOptions = {
    resolvers: [EventResolver, PlaceResolver, ActorResolver, SourceResolver, NodeResolver, EventCountsResolver, ChangeResolver, EventChangedResolver, EventMutationResolver, CatalogueMutationResolver],
    validate: false,
    // type-graphql wants a PubSub once there is any subscription; eventChanged subscribes through its own
    // `subscribe` (each subscriber's bounded queue, src/live), so nothing is published on this one.
    pubSub: createPubSub(),
  };
  const schema = buildSchemaSync(options);
  // type-graphql has no option for the root type's description, so it is set on the built type.
  schema.getQueryType()!.description =
    'The entry points of the Dateline API: events and their timeline, the places, actors and sources they refer to, any entity by global ID, and the feed of changes.';
  schema.getMutationType()!.description =
    'Changes to the data, for editors: each needs an editor\'s token (Authorization: Bearer <token>), is committed durably before it answers, becomes a revision of its record and an entry of the change feed, and changes nothing when its input has any problem.';
  schema.getSubscriptionType()!.description =
    'Live updates, over WebSocket (graphql-transport-ws) at /graphql or Server-Sent Events at /graphql/stream; no token needed. Every change carries its cursor, so a client that reconnects after any gap reads what it missed with changes(after:).';
  return { schema, report: directResolvers ? useDirectResolvers(schema, options, synchronousArguments) : null };
}

/** The Dateline schema the server runs; built once and shared. */
export function buildDatelineSchema(): GraphQLSchema {
  built ??= createDatelineSchema();
  return built;
}

/** The schema as SDL, sorted so that its text does not depend on the order classes were loaded in. */
export function printDatelineSchema(): string {
  return printSchema(lexicographicSortSchema(buildDatelineSchema()));
}
