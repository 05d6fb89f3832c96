/**
 * Live updates on one server: `Subscription.eventChanged` over WebSocket at `/graphql` and over Server-Sent Events at
 * `/graphql/stream`, both checked like queries (`prepare-operation.ts`), executed once per change and document
 * (`execute-subscription.ts`), limited together (`connection-guard.ts`), and stopped within the grace period by
 * Apollo's drain.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { LiveChanges } from '../../live/live-changes';
import { createDatelineSchema } from '../../schema/build-schema';
import { RESYNC, answerChangesAtOnce, type LiveContext } from '../../schema/change/event-changed.resolver';
import type { DatelineContext } from '../../schema/context';
import { createFormatError } from '../format-error';
import type { HardeningOptions } from '../hardening/options';
import { LiveConnections } from './connection-guard';
import { createSubscriptionExecutor } from './execute-subscription';
import type { LiveOptions } from './live-options';
import type { QueryCost } from '../hardening/query-cost';
import { createOperationPreparer, type OperationLimits } from './prepare-operation';
import type { FormatResult } from './shared-answers';
import { createSseTransport } from './sse-transport';
import { createWebSocketTransport } from './websocket-transport';
import { WriteBatcher } from './write-batching';

/** URL path of the event-stream endpoint. */
export const STREAM_PATH = '/graphql/stream';

/** What live updates need from the server. */
export interface LiveDeps {
  httpServer: Server;
  live: LiveChanges;
  /** A request's context without an editor: subscriptions only read. */
  context(): DatelineContext;
  options: LiveOptions & HardeningOptions;
  introspection: boolean;
  logger: Logger;
  /** The server's query cost, so that a subscription costs what the same document costs over HTTP. */
  cost: QueryCost;
}

/** The pieces `create-server.ts` mounts. */
export interface LiveSetup {
  /** Mounts the event-stream endpoint; call before anything mounted at `/graphql`, which would also match it. */
  mount(app: express.Express): void;
  /**
   * Ends subscriptions and closes sockets and streams; call before Apollo's drain, whose HTTP draining ends every
   * connection without a request in flight, upgraded WebSockets included (they would see 1006, not 1001).
   */
  stop(): Promise<void>;
  /** Calls `stop` when Apollo drains the server, for a server stopped through Apollo alone. */
  plugin: ApolloServerPlugin;
  /** Open WebSockets and event streams. */
  readonly connectionCount: number;
}

/**
 * The schema subscriptions run on, built once per process: its own copy, as the fast path has, because Apollo wraps
 * the resolvers of the schema it is given. Nothing in it is per server (the store and stream come in the context).
 */
let liveSchema: GraphQLSchema | undefined;

/** `schema`, answering each change synchronously (`answerChangesAtOnce`). */
function atOnce(schema: GraphQLSchema): GraphQLSchema {
  answerChangesAtOnce(schema);
  return schema;
}

/** Builds both transports over `deps.live`; the WebSocket one listens on `deps.httpServer`'s upgrades at once. */
export function setupLive(deps: LiveDeps): LiveSetup {
  const { options, logger, live } = deps;
  const schema = (liveSchema ??= atOnce(createDatelineSchema()));
  const limits: OperationLimits = { ...options, introspection: deps.introspection };
  const formatError = createFormatError(logger, { debug: options.debugErrors });
  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      const formatted = error.extensions.code === RESYNC ? error.toJSON() : formatError(error.toJSON(), error);
      // As Apollo does: the HTTP status a limit error carries is for HTTP answers, not for the client to read.
      if (!formatted.extensions?.http) return formatted;
      const { http: _status, ...extensions } = formatted.extensions;
      return { ...formatted, extensions };
    });
  const formatResult: FormatResult = (result) => (result.errors ? { ...result, errors: formatErrors(result.errors) } : result);
  const shared = {
    subscribe: createSubscriptionExecutor(formatResult),
    formatResult,
    batcher: new WriteBatcher(),
    context: (): LiveContext => ({ ...deps.context(), live, queueLimit: options.liveQueueLimit }),
    formatErrors,
    connections: new LiveConnections(options.liveMaxConnections),
    options,
    logger,
  };
  const websocket = createWebSocketTransport({ ...shared, httpServer: deps.httpServer, path: '/graphql', prepare: createOperationPreparer(schema, limits, deps.cost, 'WebSocket') });
  const sse = createSseTransport({ ...shared, prepare: createOperationPreparer(schema, limits, deps.cost, 'Server-Sent Events') });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Subscribers first read what is queued for them, then their sockets close with 1001. Half the grace period at
      // most, so that HTTP requests in flight keep the other half.
      const budget = Math.floor(options.shutdownGraceMs / 2);
      live.close();
      await Promise.all([websocket.close(budget), sse.close(budget)]);
    })());

  return {
    mount(app) {
      app.use(STREAM_PATH, ...sse.handlers);
    },
    stop,
    plugin: {
      async serverWillStart() {
        return { drainServer: stop };
      },
    },
    get connectionCount() {
      return shared.connections.count;
    },
  };
}
