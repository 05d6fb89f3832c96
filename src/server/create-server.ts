/** Builds the HTTP server and Apollo around a store; never listens by itself (see `index.ts`). */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildDatelineSchema } from '../schema/build-schema';
import type { DatelineContext } from '../schema/context';
import type { EventStore } from '../store/event-store';
import { setupDiscovery } from './discovery/setup-discovery';
import { createFormatError } from './format-error';

/** What the server needs to run. */
export interface ServerOptions {
  store: EventStore;
  logger: Logger;
  /** Answer `__schema`/`__type` and publish /schema.graphql; default true. */
  introspection?: boolean;
  /** Serve the GraphiQL playground to browsers at GET /graphql; default true (needs introspection). */
  playground?: boolean;
}

/** A built, not yet listening, Dateline server. */
export interface DatelineServer {
  app: express.Express;
  httpServer: Server;
  /** Starts listening; resolves to the GraphQL endpoint's URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Lets requests in flight finish, then closes. */
  stop(): Promise<void>;
}

/** Largest request body accepted on /graphql. */
export const MAX_BODY_BYTES = 100 * 1024;

/** Builds the Express app with Apollo at `/graphql`. */
export async function createServer({ store, logger, introspection = true, playground = true }: ServerOptions): Promise<DatelineServer> {
  const app = express();
  app.disable('x-powered-by');
  const discovery = setupDiscovery({ introspection, playground, logger });
  const httpServer = createHttpServer(app);
  const apollo = new ApolloServer<DatelineContext>({
    schema: buildDatelineSchema(),
    // Introspection stays on in Apollo; when it is off, discovery's rule refuses it with a clearer message.
    introspection: true,
    validationRules: discovery.validationRules,
    allowBatchedHttpRequests: false,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ...discovery.apolloPlugins],
  });
  await apollo.start();

  discovery.mount(app);
  app.use(
    '/graphql',
    cors(),
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, { context: async () => ({ store }) }),
  );

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
    stop: () => apollo.stop(),
  };
}
