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
 * A document is compiled once into a plan (`cost-plan.ts`, cached per parsed document); each request then
 * evaluates the plan on its variables and the store's figures. A bad page size is refused here, before execution.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { InvalidArgumentError } from '../../store/errors';
import { countBuckets, type BucketSize } from '../../store/date-buckets';
import { MAX_EVENT_COUNT_BUCKETS, MAX_TIMELINE_DAYS, type EventStore } from '../../store/event-store';
import { DEFAULT_PAGE_SIZE, checkPageArgs } from '../../store/pagination';
import { argumentsOf, compilePlan, included, PlanTooLargeError, type PlannedField, type PlannedSelection } from './cost-plan';
import { limitError } from './limit-error';
import { currentTrace } from './request-trace';

/** Most field nodes a plan expands (fragments counted each time they are spread) before the document is refused. */
export const MAX_COST_NODES = 10_000;

/** Positions read from the indexes that cost 1 (a search for "a" over 200,000 events reads millions). */
export const WORK_PER_COST = 200;

/** The cost function of a server: compiled plans, evaluated against one store. */
export interface QueryCost {
  /**
   * The cost of operation `operationName` of `document` with `variables`. Undefined when there is no such operation
   * or the variables are wrong (execution then says how); throws the request's error for a bad page size or a
   * document too large to cost.
   */
  of(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number | undefined;
}

/** A compiled operation, or why it could not be compiled. */
type Compiled = { operation: OperationDefinitionNode; plan: PlannedSelection } | { error: GraphQLError } | null;

/** Most operations compiled per document (a document may hold many; one request runs one). */
const PLANS_PER_DOCUMENT = 16;

/** The error of a document that expands to more than {@link MAX_COST_NODES} fields. */
function tooLarge(): GraphQLError {
  return limitError(
    { name: 'nodes', max: MAX_COST_NODES, actual: MAX_COST_NODES + 1 },
    `The query expands to more than ${MAX_COST_NODES} fields (fragments included), more than the cost analysis accepts; request fewer fields.`,
  );
}

/** The BAD_USER_INPUT error of a bad page size on `field`. */
function pageError(field: PlannedField, err: InvalidArgumentError): GraphQLError {
  const name = field.args?.name ?? 'connection';
  return new GraphQLError(`${name}: ${err.message}`, { extensions: { code: 'BAD_USER_INPUT', argument: err.argument, field: name, http: { status: 400 } } });
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
      return { operation, plan: compilePlan(schema, operation, fragments, MAX_COST_NODES) };
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

  const workCost = (work: number) => Math.ceil(work / WORK_PER_COST);

  /** The cost of a selection: the costliest of the types it may resolve to. */
  const selectionCost = (selection: PlannedSelection, variables: Record<string, unknown>, perDay: number): number => {
    let most = 0;
    for (const fields of selection) {
      let sum = 0;
      for (const f of fields) sum += fieldCost(f, variables, perDay);
      most = Math.max(most, sum);
    }
    return most;
  };

  const fieldCost = (field: PlannedField, variables: Record<string, unknown>, perDay: number): number => {
    if (!included(field.conditions, variables)) return 0;
    const child = (days = perDay) => (field.selection ? selectionCost(field.selection, variables, days) : 0);
    const { weight } = field;
    if (weight === 'plain') return 1 + child();
    const shape = store.shape;
    if (typeof weight === 'object') return 1 + (weight.list === 'dayEvents' ? perDay : shape[weight.list]) * child();
    const args = argumentsOf(field, variables);
    switch (weight) {
      case 'connection': {
        let size: number;
        try {
          size = checkPageArgs(args).size;
        } catch (err) {
          if (err instanceof InvalidArgumentError) throw pageError(field, err);
          throw err;
        }
        return size * Math.max(1, child()) + (args.filter ? workCost(store.estimate(args.filter).work) : 0);
      }
      case 'nodes':
        return (Array.isArray(args.ids) ? args.ids.length : 1) * Math.max(1, child());
      case 'timeline': {
        const filter = { ...(args.filter as object | undefined), ...(args.from != null && { from: args.from }), ...(args.to != null && { to: args.to }) };
        const { matches, work } = store.estimate(filter);
        const days = Math.max(1, Math.min(MAX_TIMELINE_DAYS, matches));
        return days * Math.max(1, child(matches / days)) + workCost(work);
      }
      case 'eventCounts': {
        const filter = (args.filter ?? {}) as { from?: unknown; to?: unknown };
        const { matches, work } = store.estimate(filter);
        const buckets = bucketsOf(filter, args.bucket as BucketSize, shape.firstDate, shape.lastDate);
        return buckets * Math.max(1, child()) + workCost(work + matches + (filter.to == null ? shape.events : 0));
      }
    }
  };

  return {
    of(document, operationName, variables) {
      const compiled = planOf(document, operationName);
      if (compiled === null) return undefined;
      if ('error' in compiled) throw compiled.error;
      const coerced = getVariableValues(schema, compiled.operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
      if (coerced.errors) return undefined;
      try {
        return Math.ceil(selectionCost(compiled.plan, coerced.coerced, 1));
      } catch (err) {
        if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') throw err;
        return undefined; // arguments execution will refuse, with its own words
      }
    },
  };
}

/** How many buckets `eventCounts` returns at most for `filter`. */
function bucketsOf(filter: { from?: unknown; to?: unknown }, bucket: BucketSize, first: string | null, last: string | null): number {
  const from = typeof filter.from === 'string' ? filter.from : first;
  const to = typeof filter.to === 'string' ? filter.to : last;
  if (from === null || to === null) return 1;
  try {
    return Math.max(1, Math.min(MAX_EVENT_COUNT_BUCKETS, countBuckets(from, to, bucket)));
  } catch {
    return MAX_EVENT_COUNT_BUCKETS;
  }
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
