/** Builds the HTTP server and Apollo around a store; never listens by itself (see `index.ts`). */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { buildDatelineSchema } from '../schema/build-schema';
import type { DatelineContext } from '../schema/context';
import type { EventStore } from '../store/event-store';
import { createFormatError } from './format-error';
import { createHardening } from './hardening/create-hardening';
import { DEFAULT_HARDENING, type HardeningOptions } from './hardening/options';

/** What the server needs to run. */
export interface ServerOptions {
  store: EventStore;
  logger: Logger;
  /** Limits, timeouts and error detail (see src/server/hardening); the defaults when left out. */
  hardening?: HardeningOptions;
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

/** Largest request body accepted on /graphql by default (setting MAX_BODY_BYTES). */
export const MAX_BODY_BYTES = DEFAULT_HARDENING.maxBodyBytes;

/** Builds the Express app with Apollo at `/graphql`. */
export async function createServer({ store, logger, hardening: options = DEFAULT_HARDENING }: ServerOptions): Promise<DatelineServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createHttpServer(app);
  const hardening = createHardening(options, { logger, store, httpServer });
  app.use(hardening.first, hardening.probes);
  const apollo = new ApolloServer<DatelineContext>({
    schema: buildDatelineSchema(),
    introspection: true,
    ...hardening.apolloOptions,
    formatError: createFormatError(logger, { debug: options.debugErrors }),
    plugins: [...hardening.plugins, ApolloServerPluginLandingPageLocalDefault({ embed: true })],
  });
  await apollo.start();

  app.use(
    '/graphql',
    ...hardening.beforeBody,
    express.json({ limit: options.maxBodyBytes }),
    ...hardening.beforeGraphql,
    expressMiddleware(apollo, { context: async () => ({ store }) }),
  );
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
    stop: () => {
      hardening.markStopping();
      return apollo.stop();
    },
  };
}
