/** Validation rules and a parse hook that reject documents too deep, too wide, with too many fields, aliases or directives, or of an operation type the schema lacks. */
import type { RequestHandler } from 'express';
import { GraphQLError, Kind, OperationTypeNode, visit, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { LIMIT_EXCEEDED, limitError, type LimitDetail } from './limit-error';
import type { RequestTrace } from './request-trace';
import { scanSelections } from './selection-scan';

/** The structural limits of a document. */
export interface DocumentLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

/** The deepest field nesting of each operation of `document`; introspection fields (`__schema`, `__type`) are not counted. */
export function operationDepths(document: DocumentNode): Map<string, number> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  // Memoised so that fragments spreading fragments many times over cost linear time, not exponential.
  const fragmentDepth = new Map<string, number>();
  const inProgress = new Set<string>();

  const depthOf = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let deepest = 0;
    for (const s of set.selections) {
      let d = 0;
      if (s.kind === Kind.FIELD) d = s.name.value.startsWith('__') ? 0 : 1 + depthOf(s.selectionSet);
      else if (s.kind === Kind.INLINE_FRAGMENT) d = depthOf(s.selectionSet);
      else {
        const name = s.name.value;
        const known = fragmentDepth.get(name);
        if (known !== undefined) d = known;
        else if (!inProgress.has(name) && fragments.has(name)) {
          // A cycle counts as nothing here; NoFragmentCyclesRule reports it.
          inProgress.add(name);
          d = depthOf(fragments.get(name)!.selectionSet);
          inProgress.delete(name);
          fragmentDepth.set(name, d);
        }
      }
      deepest = Math.max(deepest, d);
    }
    return deepest;
  };

  const depths = new Map<string, number>();
  for (const d of document.definitions) {
    if (d.kind === Kind.OPERATION_DEFINITION) depths.set(d.name?.value ?? '', depthOf(d.selectionSet));
  }
  return depths;
}

/** How many aliases and directive uses `document` holds. */
export function countAliasesAndDirectives(document: DocumentNode): { aliases: number; directives: number } {
  let aliases = 0;
  let directives = 0;
  visit(document, {
    Field(node) {
      if (node.alias) aliases++;
    },
    Directive() {
      directives++;
    },
  });
  return { aliases, directives };
}

/** Makes the validation rule that enforces `limits`; each error names the limit, its maximum and the value found. */
export function createDocumentLimitsRule(limits: DocumentLimits) {
  return function DocumentLimitsRule(context: ValidationContext): ASTVisitor {
    return {
      Document(document) {
        for (const [name, depth] of operationDepths(document)) {
          if (depth > limits.maxDepth) {
            context.reportError(
              limitError(
                { name: 'depth', max: limits.maxDepth, actual: depth },
                `${name ? `Operation "${name}"` : 'The operation'} has depth ${depth}, more than the limit of ${limits.maxDepth}; request fewer nested fields.`,
              ),
            );
          }
        }
        const { aliases, directives } = countAliasesAndDirectives(document);
        if (aliases > limits.maxAliases) {
          context.reportError(
            limitError({ name: 'aliases', max: limits.maxAliases, actual: aliases }, `The document uses ${aliases} aliases, more than the limit of ${limits.maxAliases}; split it into several requests.`),
          );
        }
        if (directives > limits.maxDirectives) {
          context.reportError(
            limitError(
              { name: 'directives', max: limits.maxDirectives, actual: directives },
              `The document uses ${directives} directives, more than the limit of ${limits.maxDirectives}; split it into several requests.`,
            ),
          );
        }
        return false;
      },
    };
  };
}

/** Why a document was refused before parsing: the message, and the limit in the shape of {@link limitError}'s. */
export interface FieldCountRefusal {
  message: string;
  limit: LimitDetail;
}

/**
 * Why `query` is refused when it has too many fields or too wide a selection set, found by a scan of its characters
 * (`selection-scan.ts`) rather than a parse; null when within the limits, or when it has more than `maxTokens` tokens
 * (the parser refuses that, with its own error). A plain object, not a GraphQLError: capturing a stack for each
 * refusal would cost more than the scan.
 */
export function fieldCountRefusal(query: string, limits: FieldCountLimits): FieldCountRefusal | null {
  const { fields, widest, tokens } = scanSelections(query, limits.maxTokens);
  if (tokens > limits.maxTokens) return null;
  if (fields > limits.maxFields) {
    return { limit: { name: 'fields', max: limits.maxFields, actual: fields }, message: `The document has ${fields} fields, more than the limit of ${limits.maxFields}; split it into several requests.` };
  }
  if (widest > limits.maxSelections) {
    return {
      limit: { name: 'selections', max: limits.maxSelections, actual: widest },
      message: `A selection set of the document holds ${widest} selections, more than the limit of ${limits.maxSelections}; select each field once, or split the request.`,
    };
  }
  return null;
}

/** The limits {@link fieldCountRefusal} enforces. */
export type FieldCountLimits = { maxFields: number; maxSelections: number; maxTokens: number };

/**
 * Express middleware before Apollo that refuses a document with more than `maxFields` fields, or a selection set
 * with more than `maxSelections` selections, before validation: graphql-js's check that same-named fields can
 * merge compares them in pairs, so hundreds of copies of one field cost tens of milliseconds of CPU before any rule
 * could refuse them. The query is only scanned for this (tens of microseconds for 8 KB), not parsed.
 */
export function fieldCountGuard(limits: FieldCountLimits): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === 'GET' ? req.query.query : body?.query;
    const refused = typeof query === 'string' ? fieldCountAnswer(query, limits) : null;
    if (!refused) return next();
    (res.locals.trace as RequestTrace | undefined)?.errorCodes.push(refused.code);
    res.status(400).type('application/json').send(refused.body);
  };
}

/** The 400 answer's JSON body refusing `query` by {@link fieldCountRefusal}, and its code; shared with the fast path, so both answer alike. */
export function fieldCountAnswer(query: string, limits: FieldCountLimits): { body: string; code: string } | null {
  const refusal = fieldCountRefusal(query, limits);
  if (!refusal) return null;
  return { body: JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: LIMIT_EXCEEDED, limit: refusal.limit } }] }), code: LIMIT_EXCEEDED };
}

/** Refuses operations of a type the schema does not have (a mutation or subscription while it serves queries only), as a client error. */
export function SupportedOperationRule(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(node) {
      if (context.getSchema().getRootType(node.operation)) return;
      const present = [OperationTypeNode.QUERY, OperationTypeNode.MUTATION, OperationTypeNode.SUBSCRIPTION].filter((t) => context.getSchema().getRootType(t));
      context.reportError(
        new GraphQLError(`This service has no ${node.operation} operations; it answers ${present.join(' and ')} operations. Send a ${present[0]} instead.`, {
          nodes: [node],
          extensions: { code: 'OPERATION_NOT_SUPPORTED', unsupportedOperation: node.operation },
        }),
      );
    },
  };
}
