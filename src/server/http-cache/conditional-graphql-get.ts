/** Answers a repeated GraphQL GET with 304 Not Modified, before running it, when the client's copy is current. */
import type { RequestHandler } from 'express';
import { entityTag, graphqlRequestKey, ifNoneMatchMatches, queryHashOf } from './entity-tag';

/** The Cache-Control a 304 repeats, so caches keep the same freshness for the stored answer. */
export function publicCacheControl(maxAgeSeconds: number): string {
  return `max-age=${maxAgeSeconds}, public`;
}

function parseJsonObject(text: unknown): Record<string, unknown> | null | false {
  if (text === undefined) return null;
  if (typeof text !== 'string') return false;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : false;
  } catch {
    return false;
  }
}

/**
 * Express middleware for `/graphql`: a GET or HEAD whose `If-None-Match` holds the tag this server gave the same
 * request under the same data (`readVersion()` now) gets 304. Anything it cannot read goes on to Apollo, which
 * explains the problem.
 */
export function conditionalGraphqlGet(readVersion: () => string, maxAgeSeconds: number): RequestHandler {
  return (req, res, next) => {
    const header = req.get('if-none-match');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !header) return next();
    const { query, operationName } = req.query as Record<string, unknown>;
    const variables = parseJsonObject((req.query as Record<string, unknown>).variables);
    const extensions = parseJsonObject((req.query as Record<string, unknown>).extensions);
    if (variables === false || extensions === false) return next();
    if ((query !== undefined && typeof query !== 'string') || (operationName !== undefined && typeof operationName !== 'string')) return next();
    const queryHash = queryHashOf({ query, extensions });
    if (!queryHash) return next();
    const etag = entityTag(readVersion(), graphqlRequestKey(queryHash, operationName, variables));
    if (!ifNoneMatchMatches(header, etag)) return next();
    res.set({ ETag: etag, 'Cache-Control': publicCacheControl(maxAgeSeconds), Vary: 'Accept' }).status(304).end();
  };
}
