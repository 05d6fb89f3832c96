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
 *   (`entity-fragments.ts`), when that gave Apollo's bytes at learn time.
 * - Error-free answers are kept whole (status, headers, body) under the data version and the exact
 *   request (body and Accept header), and replayed. The version is read for every request; when it has moved
 *   (an edit), the answers and entities' JSON kept are dropped, so nothing from before a change is reused after it.
 * - Only queries are ever learned: mutations, and anything else, are always answered by Apollo.
 * - Answers ready in one event-loop turn are written together, after it.
 * Every request it answers is logged with the same line as those Express answers (`request-log.ts`).
 * Whatever it cannot answer the same way (other methods and paths, browsers' cross-origin requests,
 * extensions, other encodings) goes to Express unchanged, its body handed over as Express would read it.
 */
import { GraphQLError, Kind, OperationTypeNode, parse, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { compileVariableParsing, failToParseVariables, type CoercedVariableValues } from 'graphql-jit/dist/variables';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { QueryCost } from '../hardening/query-cost';
import { logWhenDone } from '../hardening/request-log';
import { markArrival, newTrace, type RequestTrace } from '../hardening/request-trace';
import { compileEntityQueries, dataOf, entityFetch, isPromise } from './entity-fetch';
import { EntityJsonCache, planEntityFragments, ReuseGauge, writeWithFragments, type FragmentPlan, type Written } from './entity-fragments';
import { readLikeExpress, setReadError, tooLargeError } from './read-like-express';
import { ResponseCache, type ResponseCacheLimits } from './response-cache';
import { resolveTaggedTypesSynchronously } from './sync-type-resolution';

/** What the fast path needs: the schema Apollo serves, how Apollo builds a request's context, and the limits it enforces. */
export interface FastPathOptions {
  schema: GraphQLSchema;
  /**
   * Reads the data version (`store.version`), which moves with every change; read for every request and part of
   * every cache key, so no answer from before a change is replayed after it.
   */
  version: () => string;
  /** The context a read runs in; a promise of it is waited for. */
  context: () => unknown;
  /** Where each answered request's log line goes (the app's logger). */
  logger: Logger;
  /** Largest request body accepted, as for Apollo's route. */
  maxBodyBytes: number;
  /** Largest query cost executed, as the hardening's cost plugin enforces it. */
  maxCost: number;
  /** The cost function the hardening's cost plugin uses. */
  cost: QueryCost;
  /** Milliseconds from arrival after which Apollo, with its deadline, answers instead. */
  executionTimeoutMs: number;
  /**
   * The hardening's refusal of a query before it is parsed (too many fields, too wide a selection set), as the JSON
   * body of its 400 answer and its error code; null when the query passes. Refused here with the headers Express sent
   * the first such refusal, so that hundreds of copies of a field cost a scan, not Express's pipeline.
   */
  refusal?: (query: string) => { body: string; code: string } | null;
  /** Largest answer, in characters of JSON, the fast path writes; a larger one goes to Apollo, whose work budget refuses it. */
  maxAnswerChars: number;
  /** Bounds of the response cache; `maxEntries: 0` turns it off. */
  responseCache: ResponseCacheLimits;
  /** Most documents learned. */
  maxDocuments?: number;
  /**
   * Most characters of entities' JSON kept for reuse across answers (see `entity-fragments.ts`);
   * 0 serializes every answer whole from its result.
   */
  entityJsonChars: number;
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
  /** How many whole answers the response cache holds. */
  readonly answersKept: number;
}

/** The body of a GraphQL POST, as the GraphQL-over-HTTP spec shapes it. */
interface GraphQLBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** A whole answer as Apollo gave it, with what its log line reports. */
interface Answer {
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

/** A document Apollo answered without errors. */
interface LearnedDocument {
  document: DocumentNode;
  /** The name of the operation that runs, as Apollo reports it in the log. */
  operationName: string | null;
  /** Null when compiled execution did not reproduce Apollo's bytes: Apollo answers this document. */
  compiled: CompiledQuery | null;
  /**
   * graphql-jit's compiled coercion of the operation's variables, the one its execution runs: the cost is worked out
   * on what it gives, and variables it refuses go to Apollo, which words the error.
   */
  coerce: (variables: Record<string, unknown>) => CoercedVariableValues;
  /** When set, `compiled` runs this plan's rewritten document, entities' JSON is reused, and `whole` is the compiled document itself. */
  fragments: FragmentPlan | null;
  whole: CompiledQuery | null;
  /** With `fragments`: the plan's one-entity queries, by selection, when they gave Apollo's bytes; an entity missing from the cache is fetched with them. */
  entities: Map<string, CompiledQuery> | null;
  /** Whether reusing entities' JSON pays for this document lately. */
  reuse: ReuseGauge;
  /**
   * Whether keeping this document's answers in the response cache pays lately: a document whose requests keep
   * missing (new variables each time, as real clients send) has only one answer in {@link ReuseGauge.retryEvery}
   * kept, so answers that never repeat do not push out those that do.
   */
  caching: ReuseGauge;
  /** Apollo's response headers for it. */
  headers: OutgoingHttpHeaders;
}

/** A learned document the fast path runs. */
type Runnable = LearnedDocument & { compiled: CompiledQuery };
/** What running it gives: the answer's body and cost, or undefined when Apollo must answer. */
type Ran = { body: string; cost: number } | undefined;

/** Headers node sets per response or per connection; never learned or replayed. */
const PER_RESPONSE = new Set(['date', 'content-length', 'connection', 'keep-alive', 'transfer-encoding']);

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
    // An empty operationName names no operation: Apollo refuses it, so it goes there.
    (b.operationName == null || (typeof b.operationName === 'string' && b.operationName !== '')) &&
    (vars == null || (typeof vars === 'object' && !Array.isArray(vars)))
  );
}

/** Apollo's headers on `res`, less those node sets for each response. */
function learnableHeaders(res: ServerResponse): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.getHeaders())) if (!PER_RESPONSE.has(name) && value !== undefined) headers[name] = value;
  return headers;
}

/** Builds the fast path for one schema, over data whose version `options.version` reads. */
export function createFastPath(options: FastPathOptions): FastPath {
  const { schema, context, logger, maxBodyBytes, maxCost } = options;
  const deadlineNs = BigInt(options.executionTimeoutMs) * 1_000_000n;
  const maxDocuments = options.maxDocuments ?? 1000;
  resolveTaggedTypesSynchronously(schema);
  const cache = new ResponseCache<Answer & { body: Buffer }>(options.responseCache);
  let entities = new EntityJsonCache(options.entityJsonChars);
  let version = options.version();
  /** The data version now; when it moved since the last request, what was kept for the old data is dropped. */
  const currentVersion = (): string => {
    const now = options.version();
    if (now !== version) {
      version = now;
      cache.clear();
      entities = new EntityJsonCache(options.entityJsonChars);
    }
    return now;
  };
  /** Documents Apollo has answered without errors, by Accept header, operation name and query text. */
  const documents = new Map<string, LearnedDocument>();
  const stats: FastPathStats = { compiled: 0, cached: 0, refused: 0, forwarded: 0, entitiesFetched: 0 };
  /** The headers Express sends with a refusal, learned from the first one it sends; null until then. */
  let refusalHeaders: OutgoingHttpHeaders | null = null;

  /** The answer body Apollo gives for data serialized as `json` at `cost` (its cost plugin puts `extensions.cost` after `data`). */
  const serialize = (json: string, cost: number) => `{"data":${json},"extensions":{"cost":{"requested":${cost},"limit":${maxCost}}}}\n`;

  const forward = (req: IncomingMessage, res: ServerResponse, next: Next, body: unknown, trace: RequestTrace) => {
    stats.forwarded++;
    markArrival(req, trace.start); // a request handed on is logged with its whole duration
    // Express's JSON parser sees a finished request and keeps this body as it is.
    (req as IncomingMessage & { body?: unknown }).body = body;
    next(req, res);
  };

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
  const reply = (res: ServerResponse, answer: Answer, trace: RequestTrace) => {
    trace.operationName = answer.operationName;
    trace.cost = answer.cost;
    // With request lines off (a silent logger), listening for the end of every response would be work for nothing.
    if (logger.isLevelEnabled('info')) logWhenDone(logger, 'POST', '/graphql', res, trace);
    if (ready.push([res, answer]) === 1) setImmediate(writeReady);
  };

  /** The answer for data serialized as `json`; undefined (Apollo answers) when it is larger than Apollo may answer. */
  const answerOf = (json: string, cost: number) => (json.length > options.maxAnswerChars ? undefined : { body: serialize(json, cost), cost });

  /**
   * Runs `learned` on `variables` when every check passes; undefined when Apollo must answer instead. Synchronous
   * unless the context or the execution gives a promise: under load a promise per step is work of its own.
   */
  const run = (learned: Runnable, variables: Record<string, unknown>, entityCache = entities, arrivedAt = process.hrtime.bigint()): Ran | Promise<Ran> => {
    const coerced = learned.coerce(variables);
    if (failToParseVariables(coerced)) return undefined;
    let cost: number | undefined;
    try {
      cost = options.cost.ofCoerced(learned.document, learned.operationName ?? undefined, coerced.coerced);
    } catch {
      return undefined; // A bad page size or a document too large to cost: Apollo words the error.
    }
    if (cost === undefined || cost > maxCost) return undefined;
    // Already past the deadline (a busy loop): Apollo answers TIMEOUT without running it.
    if (process.hrtime.bigint() - arrivedAt > deadlineNs) return undefined;
    const known = cost;
    const requestContext = context();
    return isPromise(requestContext)
      ? requestContext.then((c) => execute(learned, variables, entityCache, c, known))
      : execute(learned, variables, entityCache, requestContext, known);
  };

  /** Executes `learned` for {@link run} in `requestContext`, reusing entities' JSON when that pays. */
  const execute = (learned: Runnable, variables: Record<string, unknown>, entityCache: EntityJsonCache, requestContext: unknown, cost: number): Ran | Promise<Ran> => {
    const { fragments, whole } = learned;
    const reuse = fragments !== null && whole !== null && learned.reuse.shouldTry();
    const result = (reuse ? learned.compiled : (whole ?? learned.compiled)).query(undefined, requestContext, variables);
    const write = (r: ExecutionResult): Ran | Promise<Ran> => {
      if (r.errors?.length || r.data == null) return undefined;
      if (!reuse) return answerOf(JSON.stringify(r.data), cost);
      const fetch = learned.entities ? entityFetch(learned.entities, requestContext, stats) : undefined;
      const written = writeWithFragments(r.data, fragments, entityCache, () => dataOf(whole.query(undefined, requestContext, variables)), fetch);
      return isPromise(written) ? written.then((w) => wrote(learned, w, cost)) : wrote(learned, written, cost);
    };
    return isPromise(result) ? result.then(write) : write(result);
  };

  /** The answer from entities' JSON reused, recording whether the cache paid. */
  const wrote = (learned: Runnable, written: Written | undefined, cost: number): Ran => {
    if (written === undefined) return undefined;
    learned.reuse.record(written.missed);
    return answerOf(written.json, cost);
  };

  /**
   * Learns a document from Apollo's error-free answer, given under data `answeredAt`: compiles it and checks the
   * compiled form gives the same bytes. When the data changed meanwhile the check would compare different data, so
   * nothing is learned this time.
   */
  const learn = async (documentKey: string, body: GraphQLBody, headers: OutgoingHttpHeaders, bytes: Buffer, answeredAt: string): Promise<LearnedDocument | undefined> => {
    const known = documents.get(documentKey);
    if (known) return known;
    if (currentVersion() !== answeredAt) return undefined;
    const document = parse(body.query);
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation = body.operationName ? operations.find((o) => o.name?.value === body.operationName) : operations.length === 1 ? operations[0] : undefined;
    if (operation?.operation !== OperationTypeNode.QUERY) return undefined;
    let coerce: LearnedDocument['coerce'];
    try {
      coerce = compileVariableParsing(schema, operation.variableDefinitions ?? []);
    } catch {
      return undefined; // a variable of a type that is not an input type: Apollo keeps answering (and refusing) it
    }
    const learned: LearnedDocument = { document, operationName: operation.name?.value ?? null, compiled: null, coerce, fragments: null, whole: null, entities: null, reuse: new ReuseGauge(), caching: new ReuseGauge(), headers };
    const variables = body.variables ?? {};
    const whole = compileQuery(schema, document, operation.name?.value);
    const text = bytes.toString('utf8');
    if (isCompiledQuery(whole) && (await run({ ...learned, compiled: whole }, variables))?.body === text) {
      learned.compiled = whole;
      // With entities' JSON reused, the answer must be Apollo's too: from an empty cache (taken from the whole
      // document's result), then from the cache that run filled; and, to fetch entities one at a time, from an
      // empty cache filled by fetching each entity alone.
      const plan = entities.maxChars > 0 ? planEntityFragments(schema, document) : null;
      const cut = plan ? compileQuery(schema, plan.document, operation.name?.value) : null;
      if (plan && cut && isCompiledQuery(cut)) {
        const candidate = { ...learned, compiled: cut, fragments: plan, whole };
        const trial = new EntityJsonCache(entities.maxChars);
        const [first, second] = [await run(candidate, variables, trial), await run(candidate, variables, trial)];
        if (first?.body === text && second?.body === text && trial.size > 0) {
          Object.assign(learned, candidate);
          const queries = compileEntityQueries(schema, plan);
          const alone = new EntityJsonCache(entities.maxChars);
          // The whole document fails in this trial, so the answer can only come from entities fetched alone.
          const failing = { ...whole, query: () => ({ errors: [new GraphQLError('not run in this trial')] }) };
          const trialAlone = { ...candidate, whole: failing, entities: queries, reuse: new ReuseGauge() };
          if (queries && (await run(trialAlone, variables, alone))?.body === text && alone.size === trial.size) learned.entities = queries;
        }
      }
    }
    if (currentVersion() !== answeredAt) return undefined;
    if (documents.size >= maxDocuments) documents.delete(documents.keys().next().value as string);
    documents.set(documentKey, learned);
    return learned;
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
    };
    const result = run(learned as Runnable, body.variables ?? {}, entities, trace.start);
    return isPromise(result) ? result.then(send) : send(result);
  };

  return {
    stats,
    get entitiesKept() {
      return entities.size;
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
          setReadError(req, tooLargeError(maxBodyBytes));
          forward(req, res, next, undefined, trace);
          return;
        }
        const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
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

function safeParse(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
