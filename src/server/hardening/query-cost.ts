/**
 * The cost of a query, known before it runs, following the work it asks for:
 * - every field costs 1 plus what is selected in it;
 * - a list field costs 1 plus its longest length in the data times its selection (a place's children, its
 *   ancestors, an event's places, participants, casualties, sources, quotes and related events);
 * - a connection costs its page size (first/last, default 20) times its selection, `nodes(ids:)` the number of
 *   IDs times its selection;
 * - `timeline` costs its days and its events (as many as its filter can match) times their selections;
 * - `eventCounts` costs its buckets times their selection;
 * - a filter adds the positions its matching reads from the indexes (a search word's postings, a place's events),
 *   one per {@link WORK_PER_COST}, and `eventCounts` also the events it counts.
 * A document is compiled once into a plan (`cost-plan.ts`, cached per parsed document) and the plan into a function
 * (`cost-plan-function.ts`); each request then calls it on its variables and the store's figures. A bad page size
 * is refused here, before execution.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { EventStore } from '../../store/event-store';
import { DEFAULT_PAGE_SIZE } from '../../store/pagination';
import { compilePlan, PlanTooLargeError } from './cost-plan';
import { compileCostFunction, type CostFunction } from './cost-plan-function';
import { limitError } from './limit-error';
import { currentTrace } from './request-trace';

/** Most field nodes a plan expands (fragments counted each time they are spread) before the document is refused. */
export const MAX_COST_NODES = 10_000;

/** Positions read from the indexes that cost 1 (kept beside the compiled cost, which uses it). */
export { WORK_PER_COST } from './cost-plan-function';

/** The cost function of a server: compiled plans, evaluated against one store. */
export interface QueryCost {
  /**
   * The cost of operation `operationName` of `document` with `variables`. Undefined when there is no such operation
   * or the variables are wrong (execution then says how); throws the request's error for a bad page size or a
   * document too large to cost.
   */
  of(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number | undefined;
  /**
   * The same for variables already coerced for this operation (the fast path coerces them with graphql-jit's
   * compiled coercion, which its execution uses too), so that they are not coerced twice.
   */
  ofCoerced(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): number | undefined;
}

/** A compiled operation, or why it could not be compiled. */
type Compiled = { operation: OperationDefinitionNode; cost: CostFunction } | { error: GraphQLError } | null;

/** Most operations compiled per document (a document may hold many; one request runs one). */
const PLANS_PER_DOCUMENT = 16;

/** The error of a document that expands to more than {@link MAX_COST_NODES} fields. */
function tooLarge(): GraphQLError {
  return limitError(
    { name: 'nodes', max: MAX_COST_NODES, actual: MAX_COST_NODES + 1 },
    `The query expands to more than ${MAX_COST_NODES} fields (fragments included), more than the cost analysis accepts; request fewer fields.`,
  );
}

/** Builds the cost function of `schema` over `store`; plans are kept per parsed document, weakly. */
export function createQueryCost(schema: GraphQLSchema, store: EventStore): QueryCost {
  const plans = new WeakMap<DocumentNode, Map<string, Compiled>>();

  const compile = (document: DocumentNode, operationName: string | undefined): Compiled => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    let operation: OperationDefinitionNode | undefined;
    let operations = 0;
    for (const d of document.definitions) {
      if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
      else if (d.kind === Kind.OPERATION_DEFINITION) {
        operations++;
        if (operationName === undefined ? operations === 1 : d.name?.value === operationName) operation ??= d;
      }
    }
    if (!operation || (operationName === undefined && operations > 1)) return null;
    try {
      return { operation, cost: compileCostFunction(compilePlan(schema, operation, fragments, MAX_COST_NODES)) };
    } catch (err) {
      if (err instanceof PlanTooLargeError) return { error: tooLarge() };
      return null; // an operation type the schema lacks: execution (or validation) says so
    }
  };

  const planOf = (document: DocumentNode, operationName: string | undefined): Compiled => {
    let perDocument = plans.get(document);
    if (!perDocument) plans.set(document, (perDocument = new Map()));
    const key = operationName ?? '';
    if (perDocument.has(key)) return perDocument.get(key)!;
    const compiled = compile(document, operationName);
    if (perDocument.size < PLANS_PER_DOCUMENT) perDocument.set(key, compiled);
    return compiled;
  };

  /** The cost of a compiled operation for coerced variables; see {@link QueryCost.of} for the outcomes. */
  const evaluate = (compiled: Compiled & { cost: CostFunction }, variables: Record<string, unknown>): number | undefined => {
    try {
      return Math.ceil(compiled.cost(variables, store));
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') throw err;
      return undefined; // arguments execution will refuse, with its own words
    }
  };

  return {
    of(document, operationName, variables) {
      const compiled = planOf(document, operationName);
      if (compiled === null) return undefined;
      if ('error' in compiled) throw compiled.error;
      const coerced = getVariableValues(schema, compiled.operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
      if (coerced.errors) return undefined;
      return evaluate(compiled, coerced.coerced);
    },
    ofCoerced(document, operationName, variables) {
      const compiled = planOf(document, operationName);
      if (compiled === null) return undefined;
      if ('error' in compiled) throw compiled.error;
      return evaluate(compiled, variables);
    },
  };
}

/** The LIMIT_EXCEEDED error of a query that costs `cost`, more than `maxCost`. */
export function costLimitError(cost: number, maxCost: number): GraphQLError {
  return limitError(
    { name: 'cost', max: maxCost, actual: cost },
    `The query costs ${cost}, more than the limit of ${maxCost}; a connection costs its page size (first/last, default ${DEFAULT_PAGE_SIZE}) times the fields selected in it, and a list its longest length in the data (a place's children, an event's participants...) times its fields, so ask for smaller pages or fewer nested fields.`,
  );
}

/**
 * Computes each operation's cost before it runs, rejects it with LIMIT_EXCEEDED (400) above `maxCost`,
 * and reports `extensions.cost = { requested, limit }` in every response whose cost is known.
 */
export function queryCostPlugin(cost: QueryCost, maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let requested: number | undefined;
      return {
        async didResolveOperation({ document, operation, request }) {
          // Without an operation execution reports what is wrong; the same goes for bad variables below.
          if (!operation) return;
          requested = cost.of(document, operation.name?.value, request.variables);
          if (requested === undefined) return;
          const trace = currentTrace();
          if (trace) trace.cost = requested;
          if (requested > maxCost) throw costLimitError(requested, maxCost);
        },
        async willSendResponse({ response }) {
          if (requested === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested, limit: maxCost } };
        },
      };
    },
  };
}
