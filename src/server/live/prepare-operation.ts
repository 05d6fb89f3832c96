/**
 * The checks every subscription document passes before it runs, whichever transport brought it: the same parser
 * token limit, field-count scan, validation rules (depth, aliases, directives, introspection setting) and cost limit as HTTP queries,
 * with the same error codes and messages. graphql-ws and graphql-sse would parse and validate on their own, and
 * Apollo's plugins never see their operations, so both transports hand their requests here instead.
 */
import {
  GraphQLError,
  OperationTypeNode,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { introspectionOffRule } from '../discovery/introspection-off.rule';
import { createDocumentLimitsRule, fieldCountRefusal } from '../hardening/document-limits.rule';
import { limitError } from '../hardening/limit-error';
import type { HardeningOptions } from '../hardening/options';
import { costLimitError, type QueryCost } from '../hardening/query-cost';
import { describeTokenLimit } from '../hardening/token-limit';

/** The limits a document is checked against. */
export type OperationLimits = Pick<HardeningOptions, 'maxTokens' | 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxFields' | 'maxSelections' | 'maxCost' | 'production'> & {
  /** Whether `__schema` and `__type` may be asked for (setting INTROSPECTION). */
  introspection: boolean;
};

/** A subscription request as a transport received it: nothing is trusted yet. */
export interface OperationRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** A request that passed every check, ready to subscribe to (the transport adds the context), or why it did not. */
export type PreparedOperation = { args: Omit<ExecutionArgs, 'contextValue'>; cost: number | undefined } | { errors: GraphQLError[] };

/** Checks a subscription request; the same query text is parsed and validated once (see `DOCUMENT_CACHE_ENTRIES`). */
export type OperationPreparer = (request: OperationRequest) => PreparedOperation;

/** Most query texts whose parsed and validated document is kept; a page's many subscribers share one document. */
export const DOCUMENT_CACHE_ENTRIES = 500;
/** Longer query texts are checked every time rather than kept. */
const CACHEABLE_QUERY_CHARS = 20_000;

/** A client mistake with one of Apollo's codes, so that `format-error.ts` shows it as it shows HTTP ones. */
function requestError(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** Parses and validates `query`, with the codes Apollo gives the same failures over HTTP. */
function checkDocument(schema: GraphQLSchema, query: string, limits: OperationLimits, rules: readonly ValidationRule[]): { document: DocumentNode } | { errors: GraphQLError[] } {
  // Hundreds of copies of a field are refused before parsing, as over HTTP (validating them costs quadratic time).
  const refusal = fieldCountRefusal(query, limits);
  if (refusal) return { errors: [limitError(refusal.limit, refusal.message)] };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    const error = new GraphQLError(err.message, { source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    describeTokenLimit(error, query);
    return { errors: [error] };
  }
  const invalid = validate(schema, document, rules);
  if (invalid.length) {
    return {
      errors: invalid.map((e) => {
        // The same wording as Apollo's: schema suggestions are left out in production.
        const message = limits.production ? e.message.replace(/ ?Did you mean(.+?)\?$/, '') : e.message;
        return new GraphQLError(message, { nodes: e.nodes, extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } });
      }),
    };
  }
  return { document };
}

/** Builds the checks for `schema` under `limits`; `transport` names where the request came in, for messages. */
export function createOperationPreparer(schema: GraphQLSchema, limits: OperationLimits, costs: QueryCost, transport: string): OperationPreparer {
  const rules = [...specifiedRules, createDocumentLimitsRule(limits), ...(limits.introspection ? [] : [introspectionOffRule])];
  const documents = new Map<string, { document: DocumentNode } | { errors: GraphQLError[] }>();

  const documentOf = (query: string) => {
    const known = documents.get(query);
    if (known) return known;
    const checked = checkDocument(schema, query, limits, rules);
    if (query.length <= CACHEABLE_QUERY_CHARS) {
      if (documents.size >= DOCUMENT_CACHE_ENTRIES) documents.delete(documents.keys().next().value!);
      documents.set(query, checked);
    }
    return checked;
  };

  return (request) => {
    const { query, operationName, variables } = request;
    if (typeof query !== 'string' || !query.trim()) {
      return { errors: [requestError('The request has no query: send {"query": "subscription { ... }"} with the subscription document as a string.', 'BAD_REQUEST')] };
    }
    if (operationName != null && typeof operationName !== 'string') {
      return { errors: [requestError(`operationName must be a string, got ${JSON.stringify(operationName)}.`, 'BAD_REQUEST')] };
    }
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
      return { errors: [requestError('variables must be a JSON object of variable values.', 'BAD_REQUEST')] };
    }
    const checked = documentOf(query);
    if ('errors' in checked) return checked;
    const { document } = checked;
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) {
      const message = operationName
        ? `Unknown operation named "${operationName}".`
        : 'The document holds more than one operation; name the one to run in operationName.';
      return { errors: [requestError(message, 'OPERATION_RESOLUTION_FAILURE')] };
    }
    if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
      return {
        errors: [requestError(`Only subscriptions are served over ${transport}; send queries and mutations to /graphql over HTTP (POST, or GET for queries).`, 'BAD_REQUEST')],
      };
    }
    const variableValues = (variables ?? undefined) as Record<string, unknown> | undefined;
    let cost: number | undefined;
    try {
      cost = costs.of(document, operationName ?? undefined, variableValues);
    } catch (err) {
      if (err instanceof GraphQLError) return { errors: [err] };
      throw err;
    }
    if (cost !== undefined && cost > limits.maxCost) return { errors: [costLimitError(cost, limits.maxCost)] };
    return { args: { schema, document, operationName: operationName ?? undefined, variableValues }, cost };
  };
}
