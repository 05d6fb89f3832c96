/**
 * The fast path reads request bodies itself, before Express. When it hands a request on, Express must answer as if
 * it had read the body: with the parsed body, or with the very error its JSON parser would have raised (the error
 * handler in `hardening/http-guards.ts` then words it). These helpers make that hand-over exact.
 */
import express, { type RequestHandler } from 'express';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** What Express's JSON parser makes of a body: the parsed value, or its error. */
export type ReadOutcome = { body: unknown } | { error: unknown };

/** Runs Express's own JSON parser (same options as the app's) over `bytes`, to get exactly its verdict on them. */
export function readLikeExpress(bytes: Buffer, headers: IncomingHttpHeaders, maxBodyBytes: number): Promise<ReadOutcome> {
  const parser = express.json({ limit: maxBodyBytes });
  const copy = Object.assign(Readable.from([bytes]), {
    headers: { ...headers, 'content-length': String(bytes.length), 'transfer-encoding': undefined },
    method: 'POST',
    url: '/graphql',
  }) as unknown as IncomingMessage & { body?: unknown };
  return new Promise((resolve) => {
    parser(copy as never, {} as never, (error?: unknown) => resolve(error ? { error } : { body: copy.body }));
  });
}

/** The error Express's JSON parser raises for a body without Content-Length that grows past the limit. */
export function tooLargeError(maxBodyBytes: number): Error {
  return Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, statusCode: 413, expose: true, limit: maxBodyBytes, length: undefined });
}

const readErrors = new WeakMap<IncomingMessage, unknown>();

/** Hands `req` on with the error its body met when read ahead of Express; {@link passReadErrors} raises it there. */
export function setReadError(req: IncomingMessage, error: unknown): void {
  readErrors.set(req, error);
}

/** Express middleware, mounted right after the JSON parser: raises the error the fast path met reading the body. */
export const passReadErrors: RequestHandler = (req, _res, next) => {
  const error = readErrors.get(req);
  if (error === undefined) return next();
  readErrors.delete(req);
  next(error);
};
