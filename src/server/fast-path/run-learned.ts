/**
 * Running a learned document on a request's variables, as the fast path does for every request it answers: the
 * checks first (variables coerced as graphql-jit's execution coerces them, the cost against the limit, the deadline),
 * then the compiled query, then the answer written with entities' JSON reused when that pays
 * (`entity-fragments.ts`). Undefined wherever Apollo must answer instead, with its own error and wording.
 */
import type { ExecutionResult } from 'graphql';
import { failToParseVariables } from 'graphql-jit/dist/variables';
import type { QueryCost } from '../hardening/query-cost';
import { dataOf, entityFetch, isPromise } from './entity-fetch';
import { writeFull, writeWithFragments, type Written } from './entity-fragments';
import type { EntityJsonCache } from './entity-json-cache';
import type { Ran, Runnable } from './learned-document';

/** What running needs: the limits, the cost function, the read context, and where entity fetches are counted. */
export interface RunOptions {
  /** Largest query cost executed, as the hardening's cost plugin enforces it. */
  maxCost: number;
  /** The cost function the hardening's cost plugin uses. */
  cost: QueryCost;
  /** Milliseconds from arrival after which Apollo, with its deadline, answers instead. */
  executionTimeoutMs: number;
  /** Largest answer, in characters of JSON; a larger one goes to Apollo, whose work budget refuses it. */
  maxAnswerChars: number;
  /** The context a read runs in; a promise of it is waited for. */
  context: () => unknown;
  /** Counts entities fetched alone (`FastPathStats.entitiesFetched`). */
  stats: { entitiesFetched: number };
}

/** Runs a learned document on variables with every check; see {@link createRunner}. */
export type RunLearned = (learned: Runnable, variables: Record<string, unknown>, entityCache: EntityJsonCache, arrivedAt?: bigint) => Ran | Promise<Ran>;

/** The answer body Apollo gives for data serialized as `json` at `cost` (its cost plugin puts `extensions.cost` after `data`). */
function serialize(json: string, cost: number, maxCost: number): string {
  return `{"data":${json},"extensions":{"cost":{"requested":${cost},"limit":${maxCost}}}}\n`;
}

/** Builds the runner of one fast path. */
export function createRunner(options: RunOptions): RunLearned {
  const { maxCost, stats } = options;
  const deadlineNs = BigInt(options.executionTimeoutMs) * 1_000_000n;

  /** The answer for data serialized as `json`; undefined (Apollo answers) when it is larger than Apollo may answer. */
  const answerOf = (json: string, cost: number): Ran => (json.length > options.maxAnswerChars ? undefined : { body: serialize(json, cost, maxCost), cost });

  /** The answer from entities' JSON reused, recording whether the cache paid. */
  const wrote = (learned: Runnable, written: Written | undefined, cost: number): Ran => {
    if (written === undefined) return undefined;
    learned.reuse.record(written.missed);
    return answerOf(written.json, cost);
  };

  /**
   * Executes `learned` in `requestContext`: with entities' JSON reused when that paid lately (the rewritten document,
   * entities from the cache); else, with a plan, the full document, whose answer is written from its result and
   * fills the cache (and tells whether the cache would have paid); else the whole document, serialized whole.
   */
  const execute = (learned: Runnable, variables: Record<string, unknown>, entityCache: EntityJsonCache, requestContext: unknown, cost: number): Ran | Promise<Ran> => {
    const { fragments, whole, full } = learned;
    const reuse = fragments !== null && whole !== null && learned.reuse.shouldTry();
    const filling = !reuse && fragments !== null && full !== null;
    const result = (reuse ? learned.compiled : filling ? full : (whole ?? learned.compiled)).query(undefined, requestContext, variables);
    const write = (r: ExecutionResult): Ran | Promise<Ran> => {
      if (r.errors?.length || r.data == null) return undefined;
      if (filling) return wrote(learned, writeFull(r.data, fragments, entityCache), cost);
      if (!reuse) return answerOf(JSON.stringify(r.data), cost);
      // Entities missing are fetched alone: the rewritten query already did the document's own work (filters, order),
      // which running the full document would do again. When a fetch cannot, the full (or whole) document answers.
      const fetch = learned.entities ? entityFetch(learned.entities, requestContext, stats) : undefined;
      const rest = full ? () => dataOf(full.query(undefined, requestContext, variables)) : () => dataOf(whole.query(undefined, requestContext, variables));
      const written = writeWithFragments(r.data, fragments, entityCache, rest, fetch, full !== null);
      return isPromise(written) ? written.then((w) => wrote(learned, w, cost)) : wrote(learned, written, cost);
    };
    return isPromise(result) ? result.then(write) : write(result);
  };

  /**
   * Runs `learned` on `variables` when every check passes; undefined when Apollo must answer instead. Synchronous
   * unless the context or the execution gives a promise: under load a promise per step is work of its own.
   */
  return (learned, variables, entityCache, arrivedAt = process.hrtime.bigint()) => {
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
    const requestContext = options.context();
    return isPromise(requestContext)
      ? requestContext.then((c) => execute(learned, variables, entityCache, c, known))
      : execute(learned, variables, entityCache, requestContext, known);
  };
}
