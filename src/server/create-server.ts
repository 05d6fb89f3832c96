/** Builds the HTTP server and Apollo around a store; never listens by itself (see `index.ts`). */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { LiveChanges } from '../live/live-changes';
import { createDatelineSchema } from '../schema/build-schema';
import type { ChangeHistory } from '../schema/change/change-history';
import type { DatelineContext } from '../schema/context';
import type { Editing } from '../schema/editing/editing';
import type { EventStore } from '../store/event-store';
import { createAuthenticator } from './auth/authenticate';
import { mutationAuthPlugin } from './auth/mutation-auth.plugin';
import { setupDiscovery } from './discovery/setup-discovery';
import { createExportsRouter } from './exports/exports.router';
import { createFastPath, type FastPath } from './fast-path/fast-path';
import { passReadErrors } from './fast-path/read-like-express';
import { createFormatError } from './format-error';
import { createHardening } from './hardening/create-hardening';
import { fieldCountAnswer } from './hardening/document-limits.rule';
import { startEdit } from './hardening/execution-deadline';
import { corsOptions } from './hardening/http-guards';
import { createQueryCost } from './hardening/query-cost';
import type { RequestTrace } from './hardening/request-trace';
import { budgetSchema, WorkBudget } from './hardening/work-budget';
import type { Readiness } from './hardening/health';
import { DEFAULT_HARDENING, type HardeningOptions } from './hardening/options';
import { conditionalGraphqlGet } from './http-cache/conditional-graphql-get';
import { DEFAULT_CACHE_MAX_AGE } from './http-cache/entity-tag';
import { httpCachePlugin } from './http-cache/http-cache.plugin';
import { DEFAULT_LIVE, type LiveOptions } from './live/live-options';
import { setupLive } from './live/setup-live';
import { createPageRouter } from './page/page.router';

/** What the server needs to run. */
export interface ServerOptions {
  store: EventStore;
  logger: Logger;
  /** The revision history and change feed (the `ChangeLog` that `service.ts` keeps); none: an empty feed and no revisions. */
  history?: ChangeHistory;
  /** Commits editors' mutations (storage/editing.ts); none: the server serves a snapshot and refuses mutations. */
  editing?: Editing;
  /** File of editors and their tokens' hashes (setting EDITORS_FILE); null or none: every mutation is refused. */
  editorsFile?: string | null;
  /** Whether the data is current (a replica of a shared database); /readyz answers 503 while it is not. */
  readiness?: Readiness;
  /** Seconds that caches may keep GraphQL answers and exports (the data only changes on reload). */
  cacheMaxAge?: number;
  /** Folder of the built timeline page; `npm run build` writes the default. */
  pageDir?: string;
  /** Answer `__schema`/`__type` and publish /schema.graphql; default true. */
  introspection?: boolean;
  /** Serve the GraphiQL playground to browsers at GET /graphql; default true (needs introspection). */
  playground?: boolean;
  /** Most answers the fast path's response cache keeps; 0 turns it off (default 1000). */
  responseCacheEntries?: number;
  /**
   * Most bytes of entities' JSON the fast path keeps to reuse in later answers (parts of answers serialized once, see
   * `fast-path/entity-fragments.ts`); 0 serializes every answer whole (default `DEFAULT_ENTITY_JSON_BYTES`, 64 MiB).
   */
  entityJsonBytes?: number;
  /**
   * Answer repeated JSON POST queries in front of Express with compiled queries and a response cache, with the same
   * bytes, headers, checks and log lines as Apollo (see `fast-path/`); default true. Off, Apollo answers everything;
   * it is also off while `hardening.testDelayMs` is set, so delayed requests reach the deadline.
   */
  fastPath?: boolean;
  /** Limits, timeouts and error detail (see src/server/hardening); the defaults when left out. */
  hardening?: HardeningOptions;
  /** The stream of committed changes that subscriptions follow (see src/live); a stream nothing publishes to when left out. */
  live?: LiveChanges;
  /** Limits of subscriptions over WebSocket and Server-Sent Events (see src/server/live); the defaults when left out. */
  liveOptions?: LiveOptions;
}

/** A built, not yet listening, Dateline server. */
export interface DatelineServer {
  app: express.Express;
  httpServer: Server;
  /** Starts listening; resolves to the GraphQL endpoint's URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Lets requests in flight finish, then closes. */
  stop(): Promise<void>;
  /** The compiled-query and response-cache path in front of Express (see `fast-path/`); null when turned off. */
  fastPath: FastPath | null;
}

/** Largest request body accepted on /graphql by default (setting MAX_BODY_BYTES). */
export const MAX_BODY_BYTES = DEFAULT_HARDENING.maxBodyBytes;

/** Builds the Express app with Apollo at `/graphql`, the exports, the timeline page and the probes. */
export async function createServer({
  store,
  logger,
  history,
  editing,
  editorsFile = null,
  readiness,
  cacheMaxAge = DEFAULT_CACHE_MAX_AGE,
  pageDir,
  introspection = true,
  playground = true,
  responseCacheEntries = 1000,
  entityJsonBytes,
  fastPath: fastPathOn = true,
  hardening: options = DEFAULT_HARDENING,
  liveOptions = DEFAULT_LIVE,
  live = new LiveChanges({ queueLimit: liveOptions.liveQueueLimit }),
}: ServerOptions): Promise<DatelineServer> {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from the data version and the request (http-cache/), not from bodies.
  // Apollo's own copy, every resolver wrapped to keep within the request's time and answer size (work-budget.ts).
  const schema = budgetSchema(createDatelineSchema());
  // Reads need nothing per request; a mutation also needs who sent it (see auth/).
  const readContext: DatelineContext = { store, history };
  const authenticator = createAuthenticator(editorsFile, logger);
  const requestContext = async ({ req, res }: { req: express.Request; res: express.Response }): Promise<DatelineContext & { budget: WorkBudget }> => {
    const trace = res.locals.trace as RequestTrace | undefined;
    const elapsedMs = trace ? Number(process.hrtime.bigint() - trace.start) / 1e6 : 0;
    const deadline = performance.now() - elapsedMs + options.executionTimeoutMs;
    const budget = new WorkBudget(deadline, options.executionTimeoutMs, options.maxAnswerChars);
    return { store, history, editing, editor: authenticator.identify(req.headers.authorization), budget, mayEdit: () => startEdit(trace, budget), editDeadline: deadline };
  };
  const cost = createQueryCost(schema, store);
  // The fast path gets its own copy of the schema: Apollo wraps every resolver of the schema it is
  // given (for plugins' willResolveField), and graphql-jit cannot inline plain fields through that.
  const fastPath =
    fastPathOn && options.testDelayMs === 0
      ? createFastPath({
          // Only error-free answers are used there, so resolvers with arguments may run synchronously.
          schema: createDatelineSchema({ synchronousArguments: true }),
          version: () => store.version,
          // The read context as it is, not a promise of it: a promise per request is work of its own under load.
          context: () => readContext,
          logger,
          maxBodyBytes: options.maxBodyBytes,
          maxCost: options.maxCost,
          cost,
          executionTimeoutMs: options.executionTimeoutMs,
          maxAnswerChars: options.maxAnswerChars,
          refusal: (query) => fieldCountAnswer(query, options),
          responseCache: { maxEntries: responseCacheEntries, maxBytes: 64 * 1024 * 1024 },
          entityJsonBytes,
        })
      : null;
  // Requests being answered, so that stopping can wait for them; while stopping, Express answers everything (503).
  let active = 0;
  let stopping = false;
  const httpServer = createHttpServer(
    // Node checks header and request timeouts this often (30 s by default, which let slow clients outlive HEADERS_TIMEOUT_MS).
    { connectionsCheckingInterval: Math.max(250, Math.min(30_000, Math.floor(options.headersTimeoutMs / 4))) },
    (req, res) => {
      active++;
      res.once('close', () => active--);
      if (fastPath && !stopping) fastPath.handle(req, res, app);
      else app(req, res);
    },
  );
  const hardening = createHardening(options, { logger, store, httpServer, cost, readiness });
  const discovery = setupDiscovery({ introspection, playground, logger, cors: corsOptions(options.corsOrigins) });
  const liveUpdates = setupLive({ httpServer, live, context: () => readContext, options: { ...options, ...liveOptions }, introspection, logger, cost });
  app.use(hardening.first, ...hardening.probes);

  const apollo = new ApolloServer<DatelineContext>({
    schema,
    // Introspection stays on in Apollo; when it is off, discovery's rule refuses it with a clearer message.
    introspection: true,
    ...hardening.apolloOptions,
    validationRules: [...(hardening.apolloOptions.validationRules ?? []), ...discovery.validationRules],
    formatError: createFormatError(logger, { debug: options.debugErrors, production: options.production }),
    plugins: [
      ...hardening.plugins,
      ...discovery.apolloPlugins,
      ApolloServerPluginCacheControl({ defaultMaxAge: cacheMaxAge }),
      httpCachePlugin(() => store.version),
      mutationAuthPlugin(),
      liveUpdates.plugin,
    ],
  });
  await apollo.start();

  discovery.mount(app);
  liveUpdates.mount(app);
  app.use(
    '/graphql',
    ...hardening.beforeBody,
    conditionalGraphqlGet(() => store.version, cacheMaxAge),
    express.json({ limit: options.maxBodyBytes }),
    passReadErrors, // errors the fast path met reading a body it then handed on
    ...hardening.beforeGraphql,
    expressMiddleware(apollo, { context: requestContext }),
  );
  app.use(
    '/exports',
    createExportsRouter(store, { maxAgeSeconds: cacheMaxAge, defaultLimit: options.exportDefaultLimit, maxLimit: options.exportMaxLimit, cors: corsOptions(options.corsOrigins) }),
  );
  app.use(createPageRouter(pageDir, { production: options.production }));
  // Keep last: JSON 404 and JSON errors for anything the routes above did not answer.
  app.use(...hardening.last);

  return {
    app,
    httpServer,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const { port: actual } = httpServer.address() as AddressInfo;
          const shown = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shown}:${actual}/graphql`);
        });
      }),
    stop: async () => {
      // Keep listening while requests in flight finish: new ones get 503 (readiness says stopping), not a refused connection.
      stopping = true;
      hardening.markStopping();
      // Subscriptions end first (sockets closed with 1001, SSE streams ended), so that they do not hold up the wait.
      await liveUpdates.stop();
      const until = Date.now() + options.shutdownGraceMs;
      while (active > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
      await apollo.stop();
    },
    fastPath,
  };
}
