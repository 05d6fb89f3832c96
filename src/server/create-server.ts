/** Builds the HTTP server and Apollo around a store; never listens by itself (see `index.ts`). */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildDatelineSchema } from '../schema/build-schema';
import type { DatelineContext } from '../schema/context';
import type { EventStore } from '../store/event-store';
import { createFormatError } from './format-error';
import { createFastPath, type FastPath } from './fast-path/fast-path';

/** What the server needs to run. */
export interface ServerOptions {
  store: EventStore;
  logger: Logger;
  /** Most answers the fast path's response cache keeps; 0 turns it off (default 1000). */
  responseCacheEntries?: number;
}

/** A built, not yet listening, Dateline server. */
export interface DatelineServer {
  app: express.Express;
  httpServer: Server;
  /** Starts listening; resolves to the GraphQL endpoint's URL. */
  listen(port: number, host?: string): Promise<string>;
  /** Lets requests in flight finish, then closes. */
  stop(): Promise<void>;
  /** The compiled-query and response-cache path in front of Express (see `fast-path/`). */
  fastPath: FastPath;
}

/** Largest request body accepted on /graphql. */
export const MAX_BODY_BYTES = 100 * 1024;

/** Builds the Express app with Apollo at `/graphql`. */
export async function createServer({ store, logger, responseCacheEntries = 1000 }: ServerOptions): Promise<DatelineServer> {
  const app = express();
  app.disable('x-powered-by');
  const schema = buildDatelineSchema();
  const context = async (): Promise<DatelineContext> => ({ store });
  const fastPath = createFastPath({ schema, version: store.version, context, maxBodyBytes: MAX_BODY_BYTES, responseCache: { maxEntries: responseCacheEntries, maxBytes: 64 * 1024 * 1024 } });
  const httpServer = createHttpServer((req, res) => fastPath.handle(req, res, app));
  const apollo = new ApolloServer<DatelineContext>({
    schema,
    introspection: true,
    allowBatchedHttpRequests: false,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageLocalDefault({ embed: true })],
  });
  await apollo.start();

  app.use(
    '/graphql',
    cors(),
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, { context }),
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
    fastPath,
  };
}
