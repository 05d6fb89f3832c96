/**
 * How people and tools find out what Dateline offers: the playground at GET /graphql, introspection,
 * and the SDL at GET /schema.graphql, each switched by a setting (PLAYGROUND, INTROSPECTION).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import cors, { type CorsOptions } from 'cors';
import express from 'express';
import type { ValidationRule } from 'graphql';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { PLAYGROUND_ASSETS_DIR, PLAYGROUND_BUILD_INFO } from '../../playground/assets-dir';
import { printDatelineSchema } from '../../schema/build-schema';
import { answerBareGet } from './endpoint-help';
import { introspectionOffRule } from './introspection-off.rule';
import { playgroundPage } from './playground-page';
import { playgroundPlugin } from './playground-plugin';

/** Which discovery features are on. */
export interface DiscoveryOptions {
  introspection: boolean;
  playground: boolean;
  logger: Logger;
  /** Where the built playground is read from; tests point it elsewhere. */
  assetsDir?: string;
  /** Browser origins allowed to read /schema.graphql (the CORS_ORIGINS setting); any when left out. */
  cors?: CorsOptions;
}

/** The pieces the server wires in: Apollo plugins and validation rules, and the Express routes. */
export interface Discovery {
  apolloPlugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  /** Adds /schema.graphql, the help for a bare GET /graphql, the playground's assets and the playground-off answer; call before mounting /graphql. */
  mount(app: express.Express): void;
}

/** URL path under which the playground's bundled scripts, styles and workers are served. */
export const PLAYGROUND_ASSETS_PATH = '/playground';

/** The playground cannot start because its assets were never built; says how to build them. */
export class PlaygroundNotBuiltError extends Error {
  constructor(assetsDir: string) {
    super(`The playground is not built (no ${path.join(assetsDir, PLAYGROUND_BUILD_INFO)}). Run \`npm run build:playground\` (npm install and npm start do it), or set PLAYGROUND=false.`);
    this.name = 'PlaygroundNotBuiltError';
  }
}

/** Builds the discovery pieces for the given settings; fails when the playground is on but not built. */
export function setupDiscovery({ introspection, playground, logger, assetsDir = PLAYGROUND_ASSETS_DIR, cors: corsOptions }: DiscoveryOptions): Discovery {
  // The playground learns the schema by introspection; without it, it could show nothing.
  const playgroundOn = playground && introspection;
  if (playground && !introspection) logger.warn('the playground needs introspection, so with INTROSPECTION=false it is off too');
  if (playgroundOn && !existsSync(path.join(assetsDir, PLAYGROUND_BUILD_INFO))) throw new PlaygroundNotBuiltError(assetsDir);

  const offReason = !playground ? 'PLAYGROUND=false' : 'INTROSPECTION=false, which the playground needs';
  return {
    apolloPlugins: [playgroundOn ? playgroundPlugin(playgroundPage(PLAYGROUND_ASSETS_PATH)) : ApolloServerPluginLandingPageDisabled()],
    validationRules: introspection ? [] : [introspectionOffRule],
    mount(app) {
      const sdl = introspection ? printDatelineSchema() : undefined;
      app.get('/schema.graphql', cors(corsOptions), (_req, res) => {
        if (sdl === undefined) {
          res.status(404).type('text/plain; charset=utf-8').send('The schema is not published on this server: introspection is turned off (INTROSPECTION=false).\n');
          return;
        }
        res.type('text/plain; charset=utf-8').send(sdl);
      });

      // Without this, curl on the address the server logs would get Apollo's CSRF or "GET query missing" refusal.
      app.get('/graphql', answerBareGet(playgroundOn));
      if (playgroundOn) {
        app.use(PLAYGROUND_ASSETS_PATH, express.static(assetsDir, { index: false }));
        return;
      }
      // Without this, Apollo would answer a browser with a bare "GET query missing".
      app.get('/graphql', (req, res, next) => {
        if (req.query.query !== undefined || req.accepts(['application/json', 'text/html']) !== 'text/html') {
          next();
          return;
        }
        res.status(404).json({
          errors: [
            {
              message: `The GraphQL playground is turned off on this server (${offReason}). Send GraphQL requests to this address with POST, or with GET and a query parameter.`,
              extensions: { code: 'PLAYGROUND_DISABLED' },
            },
          ],
        });
      });
    },
  };
}
