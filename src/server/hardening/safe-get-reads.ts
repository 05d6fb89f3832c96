/**
 * Lets GraphQL reads over GET through Apollo's CSRF prevention when they carry no credentials.
 *
 * Apollo refuses any GET that a browser could send cross-site without a preflight, unless it has an
 * `apollo-require-preflight` (or `x-apollo-operation-name`) header. That guards endpoints whose answers depend on
 * the caller's cookies. Dateline's reads depend on nothing the caller holds: no cookies are set or read, and CORS
 * never allows credentials, so a page on another site can only read what anyone can. Refusing those GETs protects
 * nothing and breaks clients that use GET by default (urql's `preferGetMethod: 'within-url-limit'`). Apollo already
 * refuses mutations over GET, so a GET can only read.
 *
 * A GET or HEAD that sends a Cookie or an Authorization header (editing uses bearer tokens) is left to Apollo's
 * check, as is every other method.
 */
import type { NextFunction, Request, Response } from 'express';

/** The header Apollo's CSRF prevention accepts as proof that the browser sent a preflight. */
export const PREFLIGHT_HEADER = 'apollo-require-preflight';

/** True for a request that reads and carries no credentials: GET or HEAD, without Cookie or Authorization. */
export function isCredentiallessRead(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && req.headers.cookie === undefined && req.headers.authorization === undefined;
}

/** Express middleware for `/graphql`, before Apollo: marks credential-less reads as safe for Apollo's CSRF check. */
export function safeGetReads(req: Request, _res: Response, next: NextFunction): void {
  if (isCredentiallessRead(req) && req.headers[PREFLIGHT_HEADER] === undefined) req.headers[PREFLIGHT_HEADER] = 'credentialless-read';
  next();
}
