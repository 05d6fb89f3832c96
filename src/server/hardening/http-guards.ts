/** HTTP-level guards: JSON errors for bodies that cannot be read, a JSON 404, CORS and socket timeouts. */
import type { CorsOptions } from 'cors';
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { HardeningOptions } from './options';
import type { RequestTrace } from './request-trace';

/** A GraphQL-style error body with one error. */
export function errorBody(message: string, code: string, extra: Record<string, unknown> = {}) {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

function send(res: Response, status: number, message: string, code: string, extra?: Record<string, unknown>): void {
  (res.locals.trace as RequestTrace | undefined)?.errorCodes.push(code);
  res.status(status).json(errorBody(message, code, extra));
}

/** Express error handler: turns body-parser errors (too large, bad JSON, bad charset) into JSON errors; anything else is a logged 500. */
export function jsonErrors(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    // A response already sent (e.g. by the execution deadline) leaves nothing to answer.
    if (res.headersSent) return;
    const e = (err ?? {}) as { type?: string; status?: number; expose?: boolean; message?: string; length?: number };
    switch (e.type) {
      case 'entity.too.large':
        return send(
          res,
          413,
          `The request body${typeof e.length === 'number' ? ` is ${e.length} bytes,` : ' is'} larger than the limit of ${maxBodyBytes} bytes; send a smaller query or fewer variables.`,
          'PAYLOAD_TOO_LARGE',
          { limit: { name: 'bodyBytes', max: maxBodyBytes, actual: e.length ?? null } },
        );
      case 'entity.parse.failed':
        return send(res, 400, `The request body is not valid JSON: ${e.message ?? 'parse error'}.`, 'BAD_REQUEST');
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return send(res, 415, `${e.message ?? 'Unsupported encoding'}; send UTF-8 JSON.`, 'UNSUPPORTED_MEDIA_TYPE');
      default:
        if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
          return send(res, e.status, e.expose && e.message ? e.message : 'The request could not be read.', 'BAD_REQUEST');
        }
        logger.error({ err, path: req.path }, 'unexpected error while reading a request');
        return send(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
    }
  };
}

/** Express middleware, mounted last: a JSON 404 for any path nothing else answered. */
export function notFound(req: Request, res: Response): void {
  send(res, 404, `Nothing at ${req.method} ${req.path}; the GraphQL endpoint is /graphql.`, 'NOT_FOUND');
}

/** Makes sure `req.body` exists, so a request without a JSON body reaches Apollo (which explains) instead of failing. */
export function ensureBody(req: Request, _res: Response, next: NextFunction): void {
  if (!('body' in req)) (req as { body?: unknown }).body = undefined;
  next();
}

/** CORS: the configured origins, or any origin, never with credentials. */
export function corsOptions(origins: HardeningOptions['corsOrigins']): CorsOptions {
  return { origin: origins === '*' ? '*' : origins, credentials: false };
}

/** Sets the header and request timeouts, so a client that sends slowly cannot hold a connection. */
export function applyHttpTimeouts(httpServer: Server, options: Pick<HardeningOptions, 'headersTimeoutMs' | 'requestTimeoutMs'>): void {
  httpServer.headersTimeout = options.headersTimeoutMs;
  httpServer.requestTimeout = options.requestTimeoutMs;
}
