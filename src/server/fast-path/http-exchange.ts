/**
 * The HTTP side of the fast path: which requests it may read, reading their bodies, the headers it learns from
 * Apollo's answers, and writing its own answers, together after each event-loop turn.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { logWhenDone } from '../hardening/request-log';
import type { RequestTrace } from '../hardening/request-trace';
import type { ReuseGauge } from './entity-json-cache';
import type { GraphQLBody } from './learned-document';

/** A whole answer as Apollo gave it, with what its log line reports. */
export interface Answer {
  status: number;
  headers: OutgoingHttpHeaders;
  /**
   * Text for an answer written once: node then sends headers and body in one write, with no Buffer made for it;
   * bytes for an answer kept in the cache, which are written as they are each time.
   */
  body: Buffer | string;
  operationName: string | null;
  cost: number | undefined;
  /** Whether caching pays for the document this answers (see `LearnedDocument.caching`); none for Apollo's answers. */
  caching?: ReuseGauge;
}

/** Headers node sets per response or per connection; never learned or replayed. */
const PER_RESPONSE = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

/** Whether the request is one the fast path may read: a JSON POST to /graphql from a non-browser client. */
export function isCandidate(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql' || req.headers.origin !== undefined) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return false;
  const type = req.headers['content-type']?.toLowerCase().replace(/\s+/g, '');
  return type === 'application/json' || type === 'application/json;charset=utf-8';
}

/** Whether `body` is a GraphQL POST body with nothing else in it (anything else goes to Express). */
export function isPlainBody(body: unknown): body is GraphQLBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (key !== 'query' && key !== 'operationName' && key !== 'variables') return false;
  const vars = b.variables;
  return (
    typeof b.query === 'string' &&
    // An empty operationName names no operation: Apollo refuses it, so it goes there.
    (b.operationName == null || (typeof b.operationName === 'string' && b.operationName !== '')) &&
    (vars == null || (typeof vars === 'object' && !Array.isArray(vars)))
  );
}

/** Apollo's headers on `res`, less those node sets for each response. */
export function learnableHeaders(res: ServerResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.getHeaders())) if (!PER_RESPONSE.has(name) && value !== undefined) headers[name] = value;
  return headers;
}

/**
 * Reads `req`'s body, then gives it to `done`; undefined when it grows past `maxBytes` (the rest is read and
 * dropped, so the answer can still be written).
 */
export function readBody(req: IncomingMessage, maxBytes: number, done: (bytes: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  });
  req.on('end', () => done(size > maxBytes ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
}

/** The parsed JSON of `bytes`, undefined when it is not JSON. */
export function safeParse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Builds the function that answers a request with an {@link Answer}: it logs the request line as Express's requests
 * are logged, and queues the answer.
 */
export function createReplier(logger: Logger): (res: ServerResponse, answer: Answer, trace: RequestTrace) => void {
  /**
   * Answers ready but not yet written. Like Redis's replies, they are written together once the event loop has
   * handled every request that arrived with them (`setImmediate` runs after the poll phase): under load the
   * client then wakes once for several answers instead of once for each; when idle it costs one loop turn.
   */
  const ready: [ServerResponse, Answer][] = [];
  const writeReady = () => {
    for (const [res, answer] of ready.splice(0)) {
      if (res.destroyed) continue; // the client went away meanwhile
      try {
        const { body } = answer;
        res.writeHead(answer.status, { ...answer.headers, 'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.length });
        res.end(answer.body);
      } catch (err) {
        res.destroy(err as Error); // one broken response must not keep the others from being written
      }
    }
  };
  return (res: ServerResponse, answer: Answer, trace: RequestTrace): void => {
    trace.operationName = answer.operationName;
    trace.cost = answer.cost;
    // With request lines off (a silent logger), listening for the end of every response would be work for nothing.
    if (logger.isLevelEnabled('info')) logWhenDone(logger, 'POST', '/graphql', res, trace);
    if (ready.push([res, answer]) === 1) setImmediate(writeReady);
  };
}
