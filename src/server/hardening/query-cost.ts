/**
 * The cost of a query, computed before execution with graphql-query-complexity: a connection costs
 * its page size (first/last, default 20) times the cost of what is selected in it, every other field
 * 1 plus its children. Checking page sizes here too means a bad `first` is rejected before the store
 * is touched.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getNamedType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { InvalidArgumentError } from '../../store/errors';
import { DEFAULT_PAGE_SIZE, checkPageArgs } from '../../store/pagination';
import { limitError } from './limit-error';
import { currentTrace } from './request-trace';

/** Most field nodes the cost walk expands (fragments included) before giving up. */
export const MAX_COST_NODES = 10_000;

/** Connections cost their page size times their children; a bad page size fails here, before execution. */
export const connectionEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (!getNamedType(field.type).name.endsWith('Connection')) return undefined;
  let size: number;
  try {
    size = checkPageArgs(args).size;
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    throw new GraphQLError(`${type.name}.${field.name}: ${err.message}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: err.argument, field: `${type.name}.${field.name}`, http: { status: 400 } },
    });
  }
  return size * Math.max(1, childComplexity);
};

/** Lists that are not connections but can be long: `nodes` by how many IDs it gets, `timeline` as a default page of days. */
export const listEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (type.name !== 'Query') return undefined;
  if (field.name === 'nodes' && Array.isArray(args.ids)) return Math.max(1, args.ids.length) * Math.max(1, childComplexity);
  if (field.name === 'timeline') return DEFAULT_PAGE_SIZE * Math.max(1, childComplexity);
  return undefined;
};

/** The estimators, most specific first: a field's own `complexity` (type-graphql option), connections, long lists, then 1 per field. */
export const COST_ESTIMATORS: ComplexityEstimator[] = [fieldExtensionsEstimator(), connectionEstimator, listEstimator, simpleEstimator({ defaultComplexity: 1 })];

/** Costs already computed, per parsed document (Apollo reuses one per query text), by operation and variables. */
const costCache = new WeakMap<DocumentNode, Map<string, number>>();
/** Variables longer than this (as JSON) are not cached; most entries per document. */
const CACHE_KEY_MAX = 512;
const CACHE_PER_DOCUMENT = 32;

/** The cost from the cache, or from `compute` (then cached when it is a number and the key is short). */
function cachedCost(document: DocumentNode, operationName: string | undefined, variables: unknown, compute: () => number | undefined): number | undefined {
  const variablesJson = JSON.stringify(variables ?? {});
  const key = variablesJson.length <= CACHE_KEY_MAX ? `${operationName ?? ''}\n${variablesJson}` : undefined;
  const perDocument = costCache.get(document);
  const cached = key === undefined ? undefined : perDocument?.get(key);
  if (cached !== undefined) return cached;
  const cost = compute();
  if (cost !== undefined && key !== undefined && (perDocument?.size ?? 0) < CACHE_PER_DOCUMENT) {
    costCache.set(document, (perDocument ?? new Map<string, number>()).set(key, cost));
  }
  return cost;
}

/** The cost of one operation; undefined when the variables are wrong (execution then says how), throws for page sizes and size. */
function computeCost(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number | undefined {
  try {
    return getComplexity({ schema, query: document, variables: variables ?? {}, operationName, estimators: COST_ESTIMATORS, maxQueryNodes: MAX_COST_NODES });
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.code === 'BAD_USER_INPUT') throw err;
    if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) {
      throw limitError(
        { name: 'nodes', max: MAX_COST_NODES, actual: MAX_COST_NODES + 1 },
        `The query expands to more than ${MAX_COST_NODES} fields (fragments included), more than the cost analysis accepts; request fewer fields.`,
      );
    }
    return undefined;
  }
}

/**
 * The cost of operation `operationName` of `document` with `variables`, cached per parsed document: what the cost
 * plugin checks and the fast path checks again for every request it answers. Undefined when the variables are wrong
 * (execution then says how); throws the request's error for a bad page size or a document too large to cost.
 */
export function costOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown> | undefined): number | undefined {
  return cachedCost(document, operationName, variables, () => computeCost(schema, document, operationName, variables));
}

/** The LIMIT_EXCEEDED error of a query that costs `cost`, more than `maxCost`. */
export function costLimitError(cost: number, maxCost: number): GraphQLError {
  return limitError(
    { name: 'cost', max: maxCost, actual: cost },
    `The query costs ${cost}, more than the limit of ${maxCost}; a connection costs its page size (first/last, default ${DEFAULT_PAGE_SIZE}) times the fields selected in it, so ask for smaller pages or fewer nested fields.`,
  );
}

/**
 * Computes each operation's cost before it runs, rejects it with LIMIT_EXCEEDED (400) above `maxCost`,
 * and reports `extensions.cost = { requested, limit }` in every response whose cost is known.
 */
export function queryCostPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          // Without an operation execution reports what is wrong; the same goes for bad variables below.
          if (!operation) return;
          cost = costOf(schema, document, operation.name?.value, request.variables);
          if (cost === undefined) return;
          const trace = currentTrace();
          if (trace) trace.cost = cost;
          if (cost > maxCost) throw costLimitError(cost, maxCost);
        },
        async willSendResponse({ response }) {
          if (cost === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, cost: { requested: cost, limit: maxCost } };
        },
      };
    },
  };
}
