/** The answer to a bare `GET /graphql` from a client that is not a browser (curl, a health checker, a script). */
import type { NextFunction, Request, Response } from 'express';

/** What to do instead: how to send a query, by POST or GET, and where the playground is. */
export function endpointHelp(url: string, playground: boolean): string {
  return (
    `This is Dateline's GraphQL endpoint; the request had no query. Send one: POST JSON {"query": "{ events(first: 1) { nodes { title } } }"} ` +
    `with Content-Type: application/json, or GET ${url}?query=... (URL-encoded), e.g. ` +
    `curl -G ${url} --data-urlencode 'query={ events(first: 1) { nodes { title } } }'.` +
    (playground ? ' In a browser, this address opens the GraphiQL playground.' : '')
  );
}

/**
 * Express route for GET /graphql: answers a request with neither `query` nor `extensions` (a persisted query's
 * hash) that does not ask for HTML with {@link endpointHelp}.
 */
export function answerBareGet(playground: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const bare = req.query.query === undefined && req.query.extensions === undefined;
    if (!bare || req.accepts(['application/json', 'text/html']) === 'text/html') {
      next();
      return;
    }
    const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${req.path}`.replace(/\/$/, '');
    res.status(400).json({ errors: [{ message: endpointHelp(url, playground), extensions: { code: 'QUERY_MISSING' } }] });
  };
}
