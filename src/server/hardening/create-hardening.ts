/** Puts the hardening pieces together in the shape `create-server.ts` mounts them. */
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import cors from 'cors';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { DatelineContext } from '../../schema/context';
import type { EventStore } from '../../store/event-store';
import { createDocumentLimitsRule, fieldCountGuard, SupportedOperationRule } from './document-limits.rule';
import { deadlinePlugin, executionDeadline } from './execution-deadline';
import { healthRoutes, type Readiness } from './health';
import { applyHttpTimeouts, corsOptions, ensureBody, jsonErrors, notFound } from './http-guards';
import type { HardeningOptions } from './options';
import { queryCostPlugin, type QueryCost } from './query-cost';
import { safeGetReads } from './safe-get-reads';
import { bindTrace, requestLog, tracePlugin } from './request-log';
import { subscriptionsElsewherePlugin } from './subscriptions-elsewhere.plugin';
import { tokenLimitPlugin } from './token-limit';
import { budgetPlugin } from './work-budget';

/** The hardening of one server. */
export interface Hardening {
  /** Apollo options: no batching, CSRF prevention (except for reads without credentials, see safe-get-reads.ts), parse and validation limits, stack traces and suggestions per settings. */
  apolloOptions: Pick<
    ApolloServerOptions<DatelineContext>,
    'allowBatchedHttpRequests' | 'csrfPrevention' | 'includeStacktraceInErrorResponses' | 'hideSchemaDetailsFromClientErrors' | 'parseOptions' | 'validationRules'
  >;
  /** Apollo plugins: draining with the grace period, cost, deadline, token-limit detail and trace. */
  plugins: ApolloServerPlugin<DatelineContext>[];
  /** Mounted first on the app: the per-request log line. */
  first: RequestHandler;
  /** The probe routes, and the 503 for new requests while stopping; mounted on the app. */
  probes: RequestHandler[];
  /** Mounted on /graphql before body parsing: CORS, and reads without credentials let past CSRF prevention. */
  beforeBody: RequestHandler[];
  /** Mounted on /graphql after body parsing, before Apollo: body check, field count, deadline, trace binding. */
  beforeGraphql: RequestHandler[];
  /** Mounted last on the app: JSON 404 and JSON errors. */
  last: [RequestHandler, ErrorRequestHandler];
  /** Turns readiness off; call when stopping. */
  markStopping(): void;
}

/** Builds the hardening for a server on `httpServer` serving `store`. */
export function createHardening(options: HardeningOptions, deps: { logger: Logger; store: EventStore; httpServer: Server; cost: QueryCost; readiness?: Readiness }): Hardening {
  let stopping = false;
  applyHttpTimeouts(deps.httpServer, options);
  return {
    apolloOptions: {
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      includeStacktraceInErrorResponses: options.debugErrors,
      hideSchemaDetailsFromClientErrors: options.production,
      parseOptions: { maxTokens: options.maxTokens },
      validationRules: [SupportedOperationRule, createDocumentLimitsRule(options)],
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer, stopGracePeriodMillis: options.shutdownGraceMs }),
      queryCostPlugin(deps.cost, options.maxCost),
      subscriptionsElsewherePlugin(),
      deadlinePlugin(options.testDelayMs),
      tokenLimitPlugin(),
      budgetPlugin(),
      tracePlugin(),
    ],
    first: requestLog(deps.logger),
    probes: [
      healthRoutes(deps.store, () => stopping, deps.readiness),
      // While stopping, new requests are told so (the load balancer retries elsewhere); requests in flight finish.
      (_req, res, next) => {
        if (!stopping) return next();
        res.set('Connection', 'close').status(503).json({ errors: [{ message: 'The server is stopping; send the request again (another instance answers).', extensions: { code: 'SERVER_STOPPING' } }] });
      },
    ],
    beforeBody: [cors(corsOptions(options.corsOrigins)), safeGetReads],
    beforeGraphql: [ensureBody, fieldCountGuard(options), executionDeadline(options.executionTimeoutMs), bindTrace],
    last: [notFound, jsonErrors(deps.logger, options.maxBodyBytes)],
    markStopping: () => {
      stopping = true;
    },
  };
}
