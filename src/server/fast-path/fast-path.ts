/**
 * The fast path for GraphQL over HTTP: answers plain JSON POST queries before Express and Apollo
 * see them, with queries compiled by graphql-jit over the same schema (so the type-graphql
 * resolvers are the ones that run) and answers kept in a {@link ResponseCache}.
 *
 * It only ever repeats what Apollo would say. A document is first answered by Apollo, through
 * every plugin and validation rule; only once Apollo has answered it without errors is it
 * compiled and served here. Whatever the fast path cannot answer the same way (other methods,
 * browsers' cross-origin requests, extensions, any GraphQL error) goes to Apollo unchanged, so
 * errors keep their exact wording and codes (see `format-error.ts`).
 */
import { OperationTypeNode, parse, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResponseCache, type ResponseCacheLimits } from './response-cache';
import { resolveTaggedTypesSynchronously } from './sync-type-resolution';

/** What the fast path needs: the schema Apollo serves and how Apollo builds a request's context. */
export interface FastPathOptions {
  schema: GraphQLSchema;
  /** The data version (`store.version`); part of every cache key. */
  version: string;
  context: () => unknown;
  /** Largest request body accepted, as for Apollo's route. */
  maxBodyBytes: number;
  /** Bounds of the response cache; `maxEntries: 0` turns it off. */
  responseCache: ResponseCacheLimits;
  /** Most compiled documents kept. */
  maxDocuments?: number;
}

/** How many requests went which way; for tests and benchmarks. */
export interface FastPathStats {
  /** Answered here by executing a compiled query. */
  compiled: number;
  /** Answered here from the response cache. */
  cached: number;
  /** Handed to Express and Apollo. */
  forwarded: number;
}

/** Where a request goes when the fast path does not answer it: the Express app. */
type Next = (req: IncomingMessage, res: ServerResponse) => void;

/** A request listener in front of the Express app. */
export interface FastPath {
  /** Answers `req` here when it can, else hands it to `next` (the Express app). */
  handle(req: IncomingMessage, res: ServerResponse, next: Next): void;
  readonly stats: FastPathStats;
}

/** The body of a GraphQL POST, as the GraphQL-over-HTTP spec shapes it. */
interface GraphQLBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** The headers Apollo (with cors()) sends on a JSON answer. */
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'access-control-allow-origin': '*' };

/** Whether the request is one the fast path may read: a JSON POST to /graphql from a non-browser client. */
function isCandidate(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql' || req.headers.origin !== undefined) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return false;
  const type = req.headers['content-type']?.toLowerCase().replace(/\s+/g, '');
  return type === 'application/json' || type === 'application/json;charset=utf-8';
}

function isPlainBody(body: unknown): body is GraphQLBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (key !== 'query' && key !== 'operationName' && key !== 'variables') return false;
  const vars = b.variables;
  return (
    typeof b.query === 'string' &&
    (b.operationName == null || typeof b.operationName === 'string') &&
    (vars == null || (typeof vars === 'object' && !Array.isArray(vars)))
  );
}

function sendJson(res: ServerResponse, status: number, body: Buffer): void {
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': body.length });
  res.end(body);
}

function badRequest(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, Buffer.from(`${JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] })}\n`));
}

/** Builds the fast path for one schema and one data version. */
export function createFastPath(options: FastPathOptions): FastPath {
  const { schema, version, context, maxBodyBytes } = options;
  const maxDocuments = options.maxDocuments ?? 1000;
  resolveTaggedTypesSynchronously(schema);
  const cache = new ResponseCache(options.responseCache);
  /** Compiled documents that Apollo has answered without errors, by operation name and query text. */
  const documents = new Map<string, CompiledQuery>();
  const stats: FastPathStats = { compiled: 0, cached: 0, forwarded: 0 };

  const forward = (req: IncomingMessage, res: ServerResponse, next: Next, body: unknown) => {
    stats.forwarded++;
    // Express's JSON parser sees a finished request and keeps this body as it is.
    (req as IncomingMessage & { body?: unknown }).body = body;
    next(req, res);
  };

  /** Watches Apollo answer a document; if it answered without errors, compiles the document for next time. */
  const learnFrom = (res: ServerResponse, documentKey: string, body: GraphQLBody, cacheKey: string) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as { end: unknown }).end = (...args: unknown[]) => {
      const chunk = args[0];
      if (res.statusCode === 200 && (typeof chunk === 'string' || Buffer.isBuffer(chunk)) && !res.getHeader('content-type')?.toString().startsWith('multipart')) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        try {
          const answer = JSON.parse(bytes.toString('utf8')) as { errors?: unknown; data?: unknown };
          if (answer.errors === undefined && answer.data != null) {
            remember(documentKey, body);
            if (documents.has(documentKey)) cache.set(cacheKey, Buffer.from(bytes));
          }
        } catch {
          // Not JSON: nothing to learn.
        }
      }
      return end(...args);
    };
  };

  const remember = (documentKey: string, body: GraphQLBody) => {
    if (documents.has(documentKey)) return;
    const document = parse(body.query);
    const compiled = compileQuery(schema, document, body.operationName ?? undefined);
    if (!isCompiledQuery(compiled)) return;
    const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
    const operation = operations.find((o) => (body.operationName ? o.name?.value === body.operationName : true));
    if (operation?.operation !== OperationTypeNode.QUERY) return;
    if (documents.size >= maxDocuments) documents.delete(documents.keys().next().value as string);
    documents.set(documentKey, compiled);
  };

  const answer = async (req: IncomingMessage, res: ServerResponse, next: Next, text: string) => {
    const cacheKey = `${version}\n${text}`;
    const hit = cache.enabled ? cache.get(cacheKey) : undefined;
    if (hit) {
      stats.cached++;
      sendJson(res, 200, hit);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      badRequest(res, 400, `The request body is not valid JSON: ${(err as Error).message}`);
      return;
    }
    if (!isPlainBody(body)) return forward(req, res, next, body);
    const documentKey = `${body.operationName ?? ''}\n${body.query}`;
    const compiled = documents.get(documentKey);
    if (!compiled) {
      learnFrom(res, documentKey, body, cacheKey);
      return forward(req, res, next, body);
    }
    const result = await compiled.query(undefined, await context(), body.variables ?? {});
    if (result.errors?.length || result.data == null) return forward(req, res, next, body);
    const bytes = Buffer.from(`${JSON.stringify({ data: result.data })}\n`);
    cache.set(cacheKey, bytes);
    stats.compiled++;
    sendJson(res, 200, bytes);
  };

  return {
    stats,
    handle(req, res, next) {
      if (!isCandidate(req)) {
        stats.forwarded++;
        next(req, res);
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBodyBytes) {
        stats.forwarded++;
        next(req, res);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on('end', () => {
        if (tooLarge) {
          res.setHeader('connection', 'close');
          badRequest(res, 413, `The request body is larger than ${maxBodyBytes} bytes`);
          return;
        }
        const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
        answer(req, res, next, text).catch((err: unknown) => {
          // An unexpected failure here must not hide the answer: Apollo answers (and logs) instead.
          if (!res.headersSent) forward(req, res, next, safeParse(text));
          else res.destroy(err as Error);
        });
      });
    },
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
