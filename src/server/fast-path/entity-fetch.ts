/**
 * Entities fetched one at a time for a learned document whose entities' JSON is reused (`entity-fragments.ts`):
 * an entity missing from the cache is answered by its selection under `node(id:)`, compiled once per selection,
 * instead of running the whole document again for the sake of one entity.
 */
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { EntityFetch, FragmentPlan } from './entity-fragments';

/** Whether `value` is a promise (graphql-jit answers with one only when some resolver gave one). */
export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The data of an execution's result, undefined when it has errors; a promise of it for a promised result. */
export function dataOf(result: ExecutionResult | Promise<ExecutionResult>): unknown {
  const pick = (r: ExecutionResult) => (r.errors?.length ? undefined : r.data);
  return isPromise(result) ? result.then(pick) : pick(result);
}

/** Compiles the one-entity document of each selection of `plan`, by selection text; null when one does not compile. */
export function compileEntityQueries(schema: GraphQLSchema, plan: FragmentPlan): Map<string, CompiledQuery> | null {
  const queries = new Map<string, CompiledQuery>();
  for (const [selection, document] of plan.entityDocuments) {
    const compiled = compileQuery(schema, document, 'DatelineEntity');
    if (!isCompiledQuery(compiled)) return null;
    queries.set(selection, compiled);
  }
  return queries;
}

/**
 * Fetches entities' JSON with `queries` in `context`, counting each one fetched in `counts`. Gives up (undefined) on
 * an error, an entity not found, or an execution that did not finish at once: the caller then runs the whole
 * document, as without this.
 */
export function entityFetch(queries: Map<string, CompiledQuery>, context: unknown, counts: { entitiesFetched: number }): EntityFetch {
  return (selection, id) => {
    const query = queries.get(selection);
    if (!query) return undefined;
    const result = query.query(undefined, context, { id });
    if (isPromise(result)) {
      result.catch(() => undefined); // not waited for; its outcome is not used
      return undefined;
    }
    const node = result.errors?.length ? undefined : (result.data as { node?: unknown } | null | undefined)?.node;
    if (node == null) return undefined;
    counts.entitiesFetched++;
    return JSON.stringify(node);
  };
}
