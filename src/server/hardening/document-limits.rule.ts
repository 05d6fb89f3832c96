/** A validation rule that rejects documents too deep, with too many aliases or too many directives. */
import { Kind, visit, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql';
import { limitError } from './limit-error';

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
