/** Entity tags that change exactly when the data or the request changes, and `If-None-Match` matching. */
import { createHash } from 'node:crypto';

/** The parts of a GraphQL request that decide its result. */
export interface GraphQLRequestParts {
  query?: string | null;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

/** Seconds caches may keep an answer unless the CACHE_MAX_AGE setting says otherwise. */
export const DEFAULT_CACHE_MAX_AGE = 300;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The SHA-256 (hex) that Apollo and automatic persisted queries use to name a query text. */
export function queryHashOf(request: Pick<GraphQLRequestParts, 'query' | 'extensions'>): string | undefined {
  if (request.query) return sha256(request.query);
  const persisted = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof persisted === 'string' && persisted ? persisted : undefined;
}

/**
 * What identifies a GraphQL request's result: its query's hash (the one automatic persisted queries send, so a
 * hash-only request and the full one share a tag), the operation name and the variables.
 */
export function graphqlRequestKey(queryHash: string, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): string {
  return canonicalJson({ q: queryHash, o: operationName ?? null, v: variables ?? {} });
}

/** A strong entity tag for `key` (a request's identity) under data `version`. */
export function entityTag(version: string, key: string): string {
  return `"${sha256(`${version}\n${key}`).slice(0, 32)}"`;
}

/** Whether an `If-None-Match` header value matches `etag` (weak comparison, as RFC 9110 asks for GET). */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}
