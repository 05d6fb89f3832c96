/**
 * What the fast path knows of a document Apollo answered without errors (`learn-document.ts` builds it), and what
 * running it gives (`run-learned.ts`).
 */
import type { DocumentNode } from 'graphql';
import type { CompiledQuery } from 'graphql-jit';
import type { CoercedVariableValues } from 'graphql-jit/dist/variables';
import type { OutgoingHttpHeaders } from 'node:http';
import type { FragmentPlan } from './entity-fragments';
import type { ReuseGauge } from './entity-json-cache';

/** The body of a GraphQL POST, as the GraphQL-over-HTTP spec shapes it. */
export interface GraphQLBody {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * A plan of entity fragments not yet checked, because the answer it was learned from held no entity (an empty day,
 * a search that found nothing): it is checked on the first later answer that holds some, against the bytes the
 * whole compiled document gives for it, which are the bytes the fast path would send without the plan.
 */
export interface PendingPlan {
  plan: FragmentPlan;
  /** The plan's rewritten document, compiled. */
  cut: CompiledQuery;
  /** The plan's full document (`FragmentPlan.full`), compiled; null when there is none. */
  full: CompiledQuery | null;
}

/** A document Apollo answered without errors. */
export interface LearnedDocument {
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
  /**
   * With `fragments`: the plan's full document, run instead of `whole` while reusing entities does not pay (its
   * result gives the answer and fills the cache at once); null when it did not give Apollo's bytes.
   */
  full: CompiledQuery | null;
  /** A plan checked on a later answer (see {@link PendingPlan}); null once checked, or when there is none. */
  pending: PendingPlan | null;
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
export type Runnable = LearnedDocument & { compiled: CompiledQuery };

/** What running it gives: the answer's body and cost, or undefined when Apollo must answer. */
export type Ran = { body: string; cost: number } | undefined;
