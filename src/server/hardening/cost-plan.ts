/**
 * A document's cost compiled once into a plan: the fields it selects (fragments expanded, per possible type of an
 * abstract field), each with how it weighs what is below it. Evaluating the plan for a request's variables and the
 * store's figures is a walk over this small tree: no AST, no schema lookups, no parsing of variables beyond the
 * arguments that change a weight (page sizes, filters, IDs). See `query-cost.ts` for the rules.
 */
import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** How a field weighs: `plain` 1 plus its selection, the others as `query-cost.ts` describes. */
export type Weight = 'plain' | 'connection' | 'nodes' | 'timeline' | 'eventCounts' | { list: ListKind };

/** The list fields whose length the store bounds (see `StoreShape`), and a timeline day's events. */
export type ListKind = 'children' | 'ancestors' | 'eventPlaces' | 'participants' | 'casualties' | 'attributions' | 'quotes' | 'related' | 'dayEvents';

/** One selected field of a plan. */
export interface PlannedField {
  weight: Weight;
  /** For weights that read arguments: the field's definition and node, to read them with the request's variables. */
  args: { def: GraphQLField<unknown, unknown>; node: FieldNode; name: string } | null;
  /** `@skip`/`@include` on the field or the fragments around it; all must let it through. */
  conditions: DirectiveNode[];
  /** What is selected in it; null for a leaf. */
  selection: PlannedSelection | null;
}

/** A selection set: for each type it may resolve to, the fields selected on that type (the costliest one counts). */
export type PlannedSelection = PlannedField[][];

/** List fields of the schema by `Type.field`; every other list is a connection's page or a root list. */
const LIST_FIELDS: Record<string, ListKind> = {
  'Place.children': 'children',
  'Place.ancestors': 'ancestors',
  'Event.places': 'eventPlaces',
  'Event.participants': 'participants',
  'Event.casualties': 'casualties',
  'Event.sources': 'attributions',
  'Event.quotes': 'quotes',
  'Event.related': 'related',
  'TimelineDay.events': 'dayEvents',
};

/** The weight of `type.field`. */
function weightOf(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): Weight {
  const key = `${type.name}.${field.name}`;
  if (LIST_FIELDS[key]) return { list: LIST_FIELDS[key] };
  if (getNamedType(field.type).name.endsWith('Connection')) return 'connection';
  if (type.name === 'Query' && (field.name === 'nodes' || field.name === 'timeline' || field.name === 'eventCounts')) return field.name;
  return 'plain';
}

/** The introspection field named `name` (`__schema` and `__type` only on the root type), if it is one. */
function metaField(name: string, onRoot: boolean): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (!onRoot) return undefined;
  return name === SchemaMetaFieldDef.name ? SchemaMetaFieldDef : name === TypeMetaFieldDef.name ? TypeMetaFieldDef : undefined;
}

/** Thrown when a document expands to more fields than {@link compilePlan} was allowed. */
export class PlanTooLargeError extends Error {}

/**
 * Compiles `operation` of a validated document into a plan, expanding at most `maxNodes` fields (fragments counted
 * each time they are spread); throws {@link PlanTooLargeError} beyond that.
 */
export function compilePlan(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, maxNodes: number): PlannedSelection {
  let nodes = 0;
  const root = schema.getRootType(operation.operation);
  if (!root) throw new GraphQLError(`The schema has no ${operation.operation} type.`);

  /** Whether a fragment with this type condition applies to objects of `type`. */
  const applies = (condition: string | undefined, type: GraphQLObjectType) => {
    if (condition === undefined || condition === type.name) return true;
    const named = schema.getType(condition);
    return named !== undefined && isAbstractType(named) && schema.isSubType(named, type);
  };

  const fieldsOn = (type: GraphQLObjectType, set: SelectionSetNode, conditions: DirectiveNode[], out: PlannedField[], spreading: Set<string>): void => {
    for (const s of set.selections) {
      const here = s.directives?.length ? [...conditions, ...s.directives] : conditions;
      if (s.kind === Kind.FIELD) {
        if (++nodes > maxNodes) throw new PlanTooLargeError();
        const def = metaField(s.name.value, type === root) ?? type.getFields()[s.name.value];
        if (!def) continue; // validation reports it
        const weight = weightOf(type, def);
        const named = getNamedType(def.type);
        const selection = s.selectionSet && !isLeafType(named) ? selectionOf(named as GraphQLCompositeType, s.selectionSet, spreading) : null;
        out.push({ weight, args: weight === 'plain' || typeof weight === 'object' ? null : { def, node: s, name: `${type.name}.${def.name}` }, conditions: here, selection });
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(s.typeCondition?.name.value, type)) fieldsOn(type, s.selectionSet, here, out, spreading);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment || spreading.has(fragment.name.value) || !applies(fragment.typeCondition.name.value, type)) continue;
        spreading.add(fragment.name.value);
        fieldsOn(type, fragment.selectionSet, here, out, spreading);
        spreading.delete(fragment.name.value);
      }
    }
  };

  const selectionOf = (type: GraphQLCompositeType, set: SelectionSetNode, spreading: Set<string>): PlannedSelection => {
    const types = isObjectType(type) ? [type] : schema.getPossibleTypes(type);
    return types.map((t) => {
      const out: PlannedField[] = [];
      fieldsOn(t, set, [], out, spreading);
      return out;
    });
  };

  return selectionOf(root, operation.selectionSet, new Set());
}

/** Whether `@skip`/`@include` in `conditions` let a field through for these (coerced) variables. */
export function included(conditions: DirectiveNode[], variables: Record<string, unknown>): boolean {
  for (const d of conditions) {
    const name = d.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const arg = d.arguments?.find((a) => a.name.value === 'if')?.value;
    const value = arg?.kind === Kind.VARIABLE ? variables[arg.name.value] : arg?.kind === Kind.BOOLEAN ? arg.value : undefined;
    if (name === 'skip' && value === true) return false;
    if (name === 'include' && value === false) return false;
  }
  return true;
}
