/** One structured log line per request: method, path, status, duration, operation, cost and error codes. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { currentTrace, newTrace, runWithTrace, type RequestTrace } from './request-trace';

/**
 * Writes the request's one log line when `res` is finished (or its connection closed first, then marked aborted).
 * Shared by the Express app and the fast path in front of it, so every request is logged the same way.
 */
export function logWhenDone(logger: Logger, method: string | undefined, path: string, res: ServerResponse, trace: RequestTrace): void {
  let logged = false;
  const log = () => {
    if (logged) return;
    logged = true;
    logger.info(
      {
        method,
        path,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - trace.start) / 1e6,
        operationName: trace.operationName ?? null,
        cost: trace.cost ?? null,
        errorCodes: trace.errorCodes,
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  };
  res.once('finish', log);
  res.once('close', log);
}

/** Express middleware, mounted first: starts the request's trace and logs it once the response is done. */
export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const trace = newTrace(req);
    res.locals.trace = trace;
    const path = req.path;
    // Errors Apollo answers before any plugin runs (CSRF, batching, bad body shape) are read from the body.
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (res.statusCode >= 400 && !trace.errorCodes.length && typeof body === 'string' && body.startsWith('{')) {
        try {
          for (const e of (JSON.parse(body) as { errors?: { extensions?: { code?: unknown } }[] }).errors ?? []) trace.errorCodes.push(String(e.extensions?.code ?? 'UNKNOWN'));
        } catch {
          // Not JSON after all; nothing to record.
        }
      }
      return send(body);
    };
    logWhenDone(logger, req.method, path, res, trace);
    next();
  };
}

/** Express middleware, mounted after body parsing: runs the rest of the request inside its trace, so Apollo plugins can fill it. */
export function bindTrace(_req: Request, res: Response, next: NextFunction): void {
  const trace = res.locals.trace as RequestTrace | undefined;
  if (trace) runWithTrace(trace, next);
  else next();
}

/** Records the operation name and the error codes of each GraphQL response in the request's trace. */
export function tracePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          const trace = currentTrace();
          if (!trace) return;
          trace.operationName = operationName ?? null;
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            const code = error.extensions?.code;
            trace.errorCodes.push(typeof code === 'string' ? code : 'UNKNOWN');
          }
        },
      };
    },
  };
}
