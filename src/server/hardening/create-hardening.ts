/** Puts the hardening pieces together in the shape `create-server.ts` mounts them. */
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import cors from 'cors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { DatelineContext } from '../../schema/context';
import type { EventStore } from '../../store/event-store';
import { createDocumentLimitsRule } from './document-limits.rule';
import { deadlinePlugin, executionDeadline } from './execution-deadline';
import { healthRoutes, type Readiness } from './health';
import { applyHttpTimeouts, corsOptions, ensureBody, jsonErrors, notFound } from './http-guards';
import type { HardeningOptions } from './options';
import { queryCostPlugin } from './query-cost';
import { bindTrace, requestLog, tracePlugin } from './request-log';
import { tokenLimitPlugin } from './token-limit';

/** The hardening of one server. */
export interface Hardening {
  /** Apollo options: no batching, CSRF prevention, parse and validation limits, stack traces and suggestions per settings. */
  apolloOptions: Pick<
    ApolloServerOptions<DatelineContext>,
    'allowBatchedHttpRequests' | 'csrfPrevention' | 'includeStacktraceInErrorResponses' | 'hideSchemaDetailsFromClientErrors' | 'parseOptions' | 'validationRules'
  >;
  /** Apollo plugins: draining with the grace period, cost, deadline, token-limit detail and trace. */
  plugins: ApolloServerPlugin<DatelineContext>[];
  /** Mounted first on the app: the per-request log line. */
  first: RequestHandler;
  /** The probe routes, mounted on the app. */
  probes: RequestHandler;
  /** Mounted on /graphql before body parsing: CORS. */
  beforeBody: RequestHandler[];
  /** Mounted on /graphql after body parsing, before Apollo: body check, deadline, trace binding. */
  beforeGraphql: RequestHandler[];
  /** Mounted last on the app: JSON 404 and JSON errors. */
  last: [RequestHandler, ErrorRequestHandler];
  /** Turns readiness off; call when stopping. */
  markStopping(): void;
}

/** Builds the hardening for a server on `httpServer` serving `store`. */
export function createHardening(options: HardeningOptions, deps: { logger: Logger; store: EventStore; httpServer: Server; readiness?: Readiness }): Hardening {
  let stopping = false;
  applyHttpTimeouts(deps.httpServer, options);
  return {
    apolloOptions: {
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: options.debugErrors,
      hideSchemaDetailsFromClientErrors: options.production,
      parseOptions: { maxTokens: options.maxTokens },
      validationRules: [createDocumentLimitsRule(options)],
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      queryCostPlugin(options.maxCost),
      deadlinePlugin(options.testDelayMs),
      tokenLimitPlugin(),
      tracePlugin(),
    ],
    first: requestLog(deps.logger),
    probes: healthRoutes(deps.store, () => stopping, deps.readiness),
    beforeBody: [cors(corsOptions(options.corsOrigins))],
    beforeGraphql: [ensureBody, executionDeadline(options.executionTimeoutMs), bindTrace],
    last: [notFound, jsonErrors(deps.logger, options.maxBodyBytes)],
    markStopping: () => {
      stopping = true;
    },
  };
}
