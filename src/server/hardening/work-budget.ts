/**
 * The bound on one execution's time and answer size, enforced while it runs. Every field resolver of the schema
 * Apollo executes is wrapped ({@link budgetSchema}): before a field resolves, the request's budget checks the
 * deadline and the size of the answer so far; every {@link SLICE_MS} ms of resolving, the next fields wait for
 * one turn of the event loop (all of them behind one `setImmediate`), so probes and other requests are answered
 * while a long execution runs. Over either bound the budget stops: every later field fails at once, and
 * {@link budgetPlugin} replaces the answer with one error saying which bound and what to do.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, GraphQLError, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { performance } from 'node:perf_hooks';
import { TIMEOUT } from './execution-deadline';
import { LIMIT_EXCEEDED } from './limit-error';

/** Milliseconds of resolving between two turns given to the event loop. */
export const SLICE_MS = 10;

/** Fields let go on per turn of the event loop. */
const RELEASED_PER_TURN = 64;

/** Characters counted per resolved field besides its value (its key, quotes, separators). */
const FIELD_OVERHEAD = 12;

/** The time and size left to one request's execution. */
export class WorkBudget {
  /** Characters of the answer so far, approximately (keys and values as JSON would write them). */
  chars = 0;
  /** Set once a bound is passed; every later field fails with it. */
  stopped: GraphQLError | null = null;
  private sliceStart = performance.now();
  /** Resolvers of the fields waiting for the next turn, oldest first. */
  private readonly waiting: (() => void)[] = [];

  /** `deadline` is a `performance.now()` time; `maxChars` the largest answer, in characters. */
  constructor(
    private deadline: number,
    private readonly limitMs: number,
    readonly maxChars: number,
  ) {}

  /**
   * The stopping error when a bound is passed; a promise to wait on when the event loop is due a turn; else
   * undefined (go on). Never throws: a field failing synchronously beside siblings that wait would leave their
   * promises unhandled (graphql-js stops completing a list at the first synchronous error).
   */
  check(): GraphQLError | Promise<void> | undefined {
    const now = performance.now();
    if (this.stop(now)) return this.stopped!;
    if (now - this.sliceStart < SLICE_MS) return undefined;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === 1) setImmediate(this.release);
    });
  }

  /**
   * The request starts an edit: from now on it is answered with what the edit did, however long the commit takes, so
   * the deadline no longer stops it (the size cap still does). False, and nothing held, once the request is stopped.
   */
  holdDeadline(): boolean {
    if (this.isStopped()) return false;
    this.deadline = Infinity;
    return true;
  }

  /** Whether the deadline (or the size cap) has passed; once it has, the request's answer is that error. */
  isStopped(): boolean {
    return this.stop(performance.now());
  }

  /** Sets `stopped` when a bound is passed at `now`; whether the request is stopped. */
  private stop(now: number): boolean {
    if (this.stopped) return true;
    if (now > this.deadline) {
      this.stopped = new GraphQLError(`The request took more than the limit of ${this.limitMs} ms and was stopped; ask for less (smaller pages, fewer fields) and retry.`, {
        // With a path, graphql-js reuses this one error for every field that fails with it instead of making one each.
        path: [],
        extensions: { code: TIMEOUT, limit: { name: 'executionTimeoutMs', max: this.limitMs, actual: Math.round(this.limitMs + now - this.deadline) } },
      });
    } else if (this.chars > this.maxChars) {
      this.stopped = new GraphQLError(`The answer grew past the limit of ${this.maxChars} characters and was stopped; ask for less (smaller pages, fewer fields, a narrower filter).`, {
        path: [],
        extensions: { code: LIMIT_EXCEEDED, limit: { name: 'answerChars', max: this.maxChars, actual: this.chars } },
      });
    }
    return this.stopped !== null;
  }

  /**
   * After a turn of the event loop: a new slice, and the fields that waited last go on first (a few of them; the
   * first runs until the slice is over, the others then wait again). Newest first keeps the execution depth-first,
   * so what waits stays as small as the query is wide.
   */
  private readonly release = () => {
    this.sliceStart = performance.now();
    for (const resolve of this.waiting.splice(-RELEASED_PER_TURN).reverse()) resolve();
    if (this.waiting.length) setImmediate(this.release);
  };

  /** Counts a resolved value into the answer's size. */
  count(value: unknown): void {
    this.chars += FIELD_OVERHEAD + (typeof value === 'string' ? value.length : Array.isArray(value) ? value.length : 0);
  }

}

/** A context that may carry a budget. */
interface Budgeted {
  budget?: WorkBudget;
}

/** Wraps every field resolver of `schema` (in place) to check the request's budget; returns `schema`. */
export function budgetSchema(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve: GraphQLFieldResolver<unknown, Budgeted> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Budgeted, info) => {
        const budget = context?.budget;
        if (!budget) return resolve(source, args, context, info);
        let waited = false;
        const attempt = (): unknown => {
          const state = budget.check();
          if (state instanceof GraphQLError) return Promise.reject(state);
          if (state) {
            // A field waiting is in the answer already: counted now, so what waits is bounded by the size cap too.
            if (!waited) budget.count(undefined);
            waited = true;
            return state.then(attempt);
          }
          try {
            const value = resolve(source, args, context, info);
            if (value instanceof Promise) return value.then((v: unknown) => (budget.count(v), v));
            budget.count(value);
            return value;
          } catch (err) {
            return Promise.reject(err); // see `check`: never fail synchronously once anything may wait
          }
        };
        return attempt();
      };
    }
  }
  return schema;
}

/** Replaces the answer of a request whose budget stopped with that one error and `data: null` (status 200: it ran). */
export function budgetPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const stopped = (contextValue as Budgeted).budget?.stopped;
          if (!stopped || response.body.kind !== 'single') return;
          response.http.status = 200;
          response.body.singleResult = { data: null, errors: [{ message: stopped.message, extensions: stopped.extensions }], extensions: response.body.singleResult.extensions };
        },
      };
    },
  };
}
