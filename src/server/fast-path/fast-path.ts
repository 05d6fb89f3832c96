/**
 * The fast path for GraphQL over HTTP: answers plain JSON POST queries before Express and Apollo
 * see them, with queries compiled by graphql-jit over the same schema (so the type-graphql
 * resolvers are the ones that run) and whole answers kept in a {@link ResponseCache}.
 *
 * It only ever repeats what Apollo would say, byte for byte and header for header:
 * - A document is first answered by Apollo, through every plugin and validation rule. Only when
 *   Apollo answered it without errors is it learned: its compiled form, and the headers Apollo sent
 *   (content type, Cache-Control from the cache hints, Vary, CORS), which depend on the document and
 *   not on the variables. Before it is used, the compiled form is run on the same variables and
 *   must give Apollo's very bytes; if not, Apollo keeps answering that document.
 * - Every request it runs is costed with the cost function the hardening uses (`QueryCost`), on its
 *   variables as graphql-jit's compiled coercion gives them (the coercion its execution runs again inside
 *   the compiled query, far cheaper than graphql-js's); a cost over the limit, a bad page size, variables that coercion refuses, any
 *   execution error, a request already past the deadline or whose execution took it past, or an answer
 *   larger than Apollo's answer-size cap goes to Apollo, which answers it with its own error and wording
 *   (its work budget stops it).
 * - Each entity's JSON under a variable-free selection is serialized once and reused in later answers
 *   (`entity-fragments.ts`), when that gave Apollo's bytes at learn time (`learn-document.ts`); how a learned
 *   document runs is `run-learned.ts`, and the HTTP side `http-exchange.ts` (see README.md).
 * - Error-free answers are kept whole (status, headers, body) under the data version and the exact
 *   request (body and Accept header), and replayed. The version is read for every request; when it has moved
 *   (an edit), the answers and entities' JSON kept are dropped, so nothing from before a change is reused after it.
 * - Only queries are ever learned: mutations, and anything else, are always answered by Apollo.
 * - Answers ready in one event-loop turn are written together, after it.
 * Every request it answers is logged with the same line as those Express answers (`request-log.ts`).
 * Whatever it cannot answer the same way (other methods and paths, browsers' cross-origin requests,
 * extensions, other encodings) goes to Express unchanged, its body handed over as Express would read it.
 */
import type { GraphQLSchema } from 'graphql';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { markArrival, newTrace, type RequestTrace } from '../hardening/request-trace';
import { isPromise } from './entity-fetch';
import { DEFAULT_ENTITY_JSON_BYTES } from './defaults';
import { EntityJsonCache } from './entity-json-cache';
import { createReplier, isCandidate, isPlainBody, learnableHeaders, readBody, safeParse, type Answer } from './http-exchange';
import { createLearner } from './learn-document';
import type { GraphQLBody, LearnedDocument, Ran, Runnable } from './learned-document';
import { readLikeExpress, setReadError, tooLargeError } from './read-like-express';
import { ResponseCache, type ResponseCacheLimits } from './response-cache';
import { createRunner, type RunOptions } from './run-learned';
import { resolveTaggedTypesSynchronously } from './sync-type-resolution';

/**
 * What the fast path needs: the schema Apollo serves, how Apollo builds a request's context, and the limits it
 * enforces (those of running a document are {@link RunOptions}').
 */
export interface FastPathOptions extends Omit<RunOptions, 'stats'> {
  schema: GraphQLSchema;
  /**
   * Reads the data version (`store.version`), which moves with every change; read for every request and part of
   * every cache key, so no answer from before a change is replayed after it.
   */
  version: () => string;
  /** Where each answered request's log line goes (the app's logger). */
  logger: Logger;
  /** Largest request body accepted, as for Apollo's route. */
  maxBodyBytes: number;
  /**
   * The hardening's refusal of a query before it is parsed (too many fields, too wide a selection set), as the JSON
   * body of its 400 answer and its error code; null when the query passes. Refused here with the headers Express sent
   * the first such refusal, so that hundreds of copies of a field cost a scan, not Express's pipeline.
   */
  refusal?: (query: string) => { body: string; code: string } | null;
  /** Bounds of the response cache; `maxEntries: 0` turns it off. */
  responseCache: ResponseCacheLimits;
  /** Most documents learned. */
  maxDocuments?: number;
  /**
   * Most bytes of entities' JSON kept for reuse across answers (see `entity-fragments.ts`), counted as
   * {@link EntityJsonCache} does (each character as two bytes, with each entry's key and overhead);
   * 0 serializes every answer whole from its result. Default {@link DEFAULT_ENTITY_JSON_BYTES}.
   */
  entityJsonBytes?: number;
}

/** How many requests went which way; for tests and benchmarks. */
export interface FastPathStats {
  /** Answered here by executing a compiled query. */
  compiled: number;
  /** Answered here from the response cache. */
  cached: number;
  /** Refused here, as the hardening refuses them (see `FastPathOptions.refusal`). */
  refused: number;
  /** Handed to Express and Apollo. */
  forwarded: number;
  /** Entities whose JSON was missing from the cache and was fetched alone (see `entity-fetch.ts`). */
  entitiesFetched: number;
}

/** Where a request goes when the fast path does not answer it: the Express app. */
type Next = (req: IncomingMessage, res: ServerResponse) => void;

/** A request listener in front of the Express app. */
export interface FastPath {
  /** Answers `req` here when it can, else hands it to `next` (the Express app). */
  handle(req: IncomingMessage, res: ServerResponse, next: Next): void;
  readonly stats: FastPathStats;
  /** How many entities' JSON is kept for reuse. */
  readonly entitiesKept: number;
  /** The bytes the entities' JSON kept counts for, as the cache counts them (at most `entityJsonBytes`). */
  readonly entityBytesKept: number;
  /** How many whole answers the response cache holds. */
  readonly answersKept: number;
}

/** Builds the fast path for one schema, over data whose version `options.version` reads. */
export function createFastPath(options: FastPathOptions): FastPath {
  const { schema, logger, maxBodyBytes } = options;
  const deadlineNs = BigInt(options.executionTimeoutMs) * 1_000_000n;
  const maxDocuments = options.maxDocuments ?? 1000;
  const entityJsonBytes = options.entityJsonBytes ?? DEFAULT_ENTITY_JSON_BYTES;
  resolveTaggedTypesSynchronously(schema);
  const cache = new ResponseCache<Answer & { body: Buffer }>(options.responseCache);
  let entities = new EntityJsonCache(entityJsonBytes);
  let version = options.version();
  /** The data version now; when it moved since the last request, what was kept for the old data is dropped. */
  const currentVersion = (): string => {
    const now = options.version();
    if (now !== version) {
      version = now;
      cache.clear();
      entities = new EntityJsonCache(entityJsonBytes);
    }
    return now;
  };
  /** Documents Apollo has answered without errors, by Accept header, operation name and query text. */
  const documents = new Map<string, LearnedDocument>();
  /** Documents being learned, so that requests answered by Apollo at once learn a document once. */
  const learning = new Map<string, Promise<LearnedDocument | undefined>>();
  const stats: FastPathStats = { compiled: 0, cached: 0, refused: 0, forwarded: 0, entitiesFetched: 0 };
  const runLearned = createRunner({ ...options, stats });
  const run = (learned: Runnable, variables: Record<string, unknown>, entityCache = entities) => runLearned(learned, variables, entityCache);
  const learner = createLearner({ schema, run, entityJsonBytes, version: currentVersion });
  /** The headers Express sends with a refusal, learned from the first one it sends; null until then. */
  let refusalHeaders: OutgoingHttpHeaders | null = null;

  const reply = createReplier(logger);
  const forward = (req: IncomingMessage, res: ServerResponse, next: Next, body: unknown, trace: RequestTrace) => {
    stats.forwarded++;
    markArrival(req, trace.start); // a request handed on is logged with its whole duration
    // Express's JSON parser sees a finished request and keeps this body as it is.
    (req as IncomingMessage & { body?: unknown }).body = body;
    next(req, res);
  };

  /**
   * Learns a document from Apollo's error-free answer, given under data `answeredAt` (see `learn-document.ts`), once
   * however many requests for it Apollo answered meanwhile. When the data changed meanwhile the checks would compare
   * different data, so nothing is learned this time.
   */
  const learn = (documentKey: string, body: GraphQLBody, headers: OutgoingHttpHeaders, bytes: Buffer, answeredAt: string): Promise<LearnedDocument | undefined> => {
    const known = documents.get(documentKey) ?? learning.get(documentKey);
    if (known) return Promise.resolve(known);
    if (currentVersion() !== answeredAt) return Promise.resolve(undefined);
    const learned = learner.learn(body, headers, bytes, answeredAt).then((doc) => {
      if (!doc || currentVersion() !== answeredAt) return undefined;
      if (documents.size >= maxDocuments) documents.delete(documents.keys().next().value as string);
      documents.set(documentKey, doc);
      return doc;
    });
    learning.set(documentKey, learned);
    return learned.finally(() => learning.delete(documentKey));
  };

  /** Watches Apollo answer; an error-free answer is learned (document, headers) and kept in the cache. */
  const watch = (res: ServerResponse, documentKey: string, body: GraphQLBody, cacheKey: string, answeredAt: string) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    (res as { end: unknown }).end = (...args: unknown[]) => {
      const chunk = args[0];
      const type = res.getHeader('content-type');
      if (res.statusCode !== 200 || (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) || typeof type !== 'string' || !type.includes('json')) return end(...args);
      const bytes = Buffer.from(chunk);
      const headers = learnableHeaders(res);
      const sent = end(...args);
      let answer: { errors?: unknown; data?: unknown; extensions?: { cost?: { requested?: unknown } } };
      try {
        answer = JSON.parse(bytes.toString('utf8')) as typeof answer;
      } catch {
        return sent;
      }
      if (answer.errors !== undefined || answer.data == null) return sent;
      const cost = typeof answer.extensions?.cost?.requested === 'number' ? answer.extensions.cost.requested : undefined;
      learn(documentKey, body, headers, bytes, answeredAt)
        .then((learned) => {
          if (learned) cache.set(cacheKey, { status: 200, headers, body: bytes, operationName: learned.operationName, cost });
        })
        .catch((err: unknown) => logger.warn({ err }, 'fast path: could not learn a document; Apollo keeps answering it'));
      return sent;
    };
  };

  /** Refuses `query` here when the hardening would, once Express has shown the headers it refuses with; false when it cannot. */
  const refuse = (res: ServerResponse, query: string, trace: RequestTrace): boolean => {
    const refusal = options.refusal?.(query);
    if (!refusal) return false;
    if (!refusalHeaders) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      (res as { end: unknown }).end = (...args: unknown[]) => {
        if (res.statusCode === 400 && (typeof args[0] === 'string' || Buffer.isBuffer(args[0])) && String(args[0]) === refusal.body) refusalHeaders ??= learnableHeaders(res);
        return end(...args);
      };
      return false;
    }
    trace.errorCodes.push(refusal.code);
    stats.refused++;
    reply(res, { status: 400, headers: refusalHeaders, body: Buffer.from(refusal.body), operationName: null, cost: undefined }, trace);
    return true;
  };

  /** Answers a request whose body is read: from the cache, by running its learned document, or through Apollo. */
  const answer = (req: IncomingMessage, res: ServerResponse, next: Next, bytes: Buffer, trace: RequestTrace): void | Promise<void> => {
    const text = bytes.toString('utf8');
    const accept = req.headers.accept ?? '';
    const version = currentVersion();
    const cacheKey = `${version}\n${accept}\n${text}`;
    const hit = cache.enabled ? cache.get(cacheKey) : undefined;
    if (hit) {
      hit.caching?.record(false);
      stats.cached++;
      reply(res, hit, trace);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== 'object') {
      // Not a JSON object or array: Express's parser decides what it is (and words any error).
      return readLikeExpress(bytes, req.headers, maxBodyBytes).then((outcome) => {
        if ('error' in outcome) {
          setReadError(req, outcome.error);
          return forward(req, res, next, undefined, trace);
        }
        return forward(req, res, next, outcome.body, trace);
      });
    }
    if (!isPlainBody(body)) return forward(req, res, next, body, trace);
    const documentKey = `${accept}\n${body.operationName ?? ''}\n${body.query}`;
    const learned = documents.get(documentKey);
    if (!learned?.compiled) {
      if (refuse(res, body.query, trace)) return;
      watch(res, documentKey, body, cacheKey, version);
      return forward(req, res, next, body, trace);
    }
    const plain = body;
    const send = (result: Ran) => {
      // Past the deadline Apollo answers, under its own deadline, as it would have without the fast path.
      if (!result || process.hrtime.bigint() - trace.start > deadlineNs) {
        watch(res, documentKey, plain, cacheKey, version);
        return forward(req, res, next, plain, trace);
      }
      const fresh: Answer = { status: 200, headers: learned.headers, body: result.body, operationName: learned.operationName, cost: result.cost, caching: learned.caching };
      learned.caching.record(true);
      if (cache.enabled && learned.caching.shouldTry()) {
        const kept = { ...fresh, body: Buffer.from(result.body) };
        cache.set(cacheKey, kept);
        reply(res, kept, trace);
      } else reply(res, fresh, trace);
      stats.compiled++;
      if (learned.pending) void learner.checkPending(learned as Runnable, variables, result.body, version);
    };
    const variables = body.variables ?? {};
    const result = runLearned(learned as Runnable, variables, entities, trace.start);
    return isPromise(result) ? result.then(send) : send(result);
  };

  return {
    stats,
    get entitiesKept() {
      return entities.size;
    },
    get entityBytesKept() {
      return entities.bytesKept;
    },
    get answersKept() {
      return cache.size;
    },
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
      const trace = newTrace();
      readBody(req, maxBodyBytes, (bytes) => {
        if (bytes === undefined) {
          setReadError(req, tooLargeError(maxBodyBytes));
          forward(req, res, next, undefined, trace);
          return;
        }
        // An unexpected failure here must not hide the answer: Apollo answers (and logs) instead.
        const failed = (err: unknown) => {
          if (!res.headersSent) forward(req, res, next, safeParse(bytes), trace);
          else res.destroy(err as Error);
        };
        try {
          const answered = answer(req, res, next, bytes, trace);
          if (answered) answered.catch(failed);
        } catch (err) {
          failed(err);
        }
      });
    },
  };
}
