/**
 * A cost plan (`cost-plan.ts`) compiled once into a function of a request's (coerced) variables and of the store's
 * figures, so that each request only works out what depends on them. What does not (a plain field, a list whose
 * longest length the store knows, a subtree with no arguments read and no `@skip`/`@include` on variables) is added
 * up once per store shape and reused; arguments that are literals are read once; a field's arguments that are plain
 * variables are read without graphql-js's per-call work. The sums run in the same order as a walk of the plan, so
 * the figure is the very same number. See `query-cost.ts` for the rules.
 */
import { getArgumentValues, GraphQLError, isNonNullType, Kind, valueFromAST, visit, type ValueNode } from 'graphql';
import { countBuckets, type BucketSize } from '../../store/date-buckets';
import { InvalidArgumentError } from '../../store/errors';
import { MAX_EVENT_COUNT_BUCKETS, MAX_TIMELINE_DAYS } from '../../store/event-store-types';
import { checkPageArgs } from '../../store/pagination';
import type { LooseFilter, StoreShape, WorkEstimate } from '../../store/work-estimate';
import { included, type PlannedField, type PlannedSelection } from './cost-plan';

/** Positions read from the indexes that cost 1 (a search for "a" over 200,000 events reads millions). */
export const WORK_PER_COST = 200;

/** What the cost reads from the store: its longest lists and bounds on matching a filter. */
export interface CostFigures {
  readonly shape: StoreShape;
  estimate(filter: LooseFilter | null | undefined): WorkEstimate;
}

/** A compiled cost: the (unrounded) cost of the operation for these coerced variables over `store`. */
export type CostFunction = (variables: Record<string, unknown>, store: CostFigures) => number;

type Variables = Record<string, unknown>;
/** What one evaluation reads: the request's variables, the store, and its shape read once. */
interface Run {
  vars: Variables;
  store: CostFigures;
  shape: StoreShape;
}
/** The cost of a field or selection in a run, with the events per timeline day above it. */
type Evaluate = (run: Run, perDay: number) => number;
/** A compiled field or selection, and what its cost depends on. */
interface Part {
  evaluate: Evaluate;
  /** Whether it reads only the store's shape: no variables, no arguments, no day size. */
  constant: boolean;
}

/** The BAD_USER_INPUT error of a bad page size on `field`. */
function pageError(field: PlannedField, err: InvalidArgumentError): GraphQLError {
  const name = field.args?.name ?? 'connection';
  return new GraphQLError(`${name}: ${err.message}`, { extensions: { code: 'BAD_USER_INPUT', argument: err.argument, field: name, http: { status: 400 } } });
}

const workCost = (work: number) => Math.ceil(work / WORK_PER_COST);

/** Whether `value` reads a variable anywhere. */
function readsVariables(value: ValueNode): boolean {
  let found = false;
  visit(value, {
    Variable() {
      found = true;
    },
  });
  return found;
}

/** Sentinel of an argument the quick readers leave to graphql-js (which then words any error). */
const ASK_GRAPHQL = Symbol('ask graphql-js');

/**
 * Reads a planned field's arguments for coerced variables as `getArgumentValues` does. Literals are coerced once
 * here; a plain variable is read as it is (as graphql-js does for validated documents); anything else, and every
 * case that is an error (null for a non-null argument), goes to `getArgumentValues` itself.
 */
function compileArguments(field: PlannedField): (vars: Variables) => Record<string, unknown> {
  if (!field.args) return () => ({});
  const { def, node } = field.args;
  const readers: [string, (vars: Variables) => unknown][] = [];
  for (const arg of def.args) {
    const valueNode = node.arguments?.find((a) => a.name.value === arg.name)?.value;
    const nonNull = isNonNullType(arg.type);
    const fallback = (): unknown => (arg.defaultValue !== undefined ? arg.defaultValue : nonNull ? ASK_GRAPHQL : undefined);
    if (!valueNode) {
      const value = fallback();
      readers.push([arg.name, () => value]);
    } else if (valueNode.kind === Kind.VARIABLE) {
      const name = valueNode.name.value;
      readers.push([
        arg.name,
        (vars) => {
          if (!Object.prototype.hasOwnProperty.call(vars, name)) return fallback();
          const value = vars[name];
          return value === undefined || (value === null && nonNull) ? ASK_GRAPHQL : value;
        },
      ]);
    } else if (!readsVariables(valueNode)) {
      const value = valueNode.kind === Kind.NULL && nonNull ? undefined : valueFromAST(valueNode, arg.type);
      readers.push([arg.name, () => (value === undefined ? ASK_GRAPHQL : value)]);
    } else {
      readers.push([
        arg.name,
        (vars) => {
          const value = valueFromAST(valueNode, arg.type, vars);
          return value === undefined ? ASK_GRAPHQL : value;
        },
      ]);
    }
  }
  return (vars) => {
    const out: Record<string, unknown> = {};
    for (const [name, read] of readers) {
      const value = read(vars);
      if (value === ASK_GRAPHQL) return getArgumentValues(def, node, vars);
      if (value !== undefined) out[name] = value;
    }
    return out;
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

/** The cost of a field whose weight reads its arguments, given `child`, the cost of its selection. */
function argumentWeighed(field: PlannedField, child: Evaluate): Evaluate {
  const argumentsOf = compileArguments(field);
  switch (field.weight) {
    case 'connection':
      return (run, perDay) => {
        const args = argumentsOf(run.vars);
        let size: number;
        try {
          size = checkPageArgs(args).size;
        } catch (err) {
          if (err instanceof InvalidArgumentError) throw pageError(field, err);
          throw err;
        }
        return size * Math.max(1, child(run, perDay)) + (args.filter ? workCost(run.store.estimate(args.filter).work) : 0);
      };
    case 'nodes':
      return (run, perDay) => {
        const args = argumentsOf(run.vars);
        return (Array.isArray(args.ids) ? args.ids.length : 1) * Math.max(1, child(run, perDay));
      };
    case 'timeline':
      return (run) => {
        const args = argumentsOf(run.vars);
        const filter = { ...(args.filter as object | undefined), ...(args.from != null && { from: args.from }), ...(args.to != null && { to: args.to }) };
        const { matches, work } = run.store.estimate(filter);
        const days = Math.max(1, Math.min(MAX_TIMELINE_DAYS, matches));
        return days * Math.max(1, child(run, matches / days)) + workCost(work);
      };
    default:
      return (run, perDay) => {
        const args = argumentsOf(run.vars);
        const filter = (args.filter ?? {}) as { from?: unknown; to?: unknown };
        const { matches, work } = run.store.estimate(filter);
        const { shape } = run;
        const buckets = bucketsOf(filter, args.bucket as BucketSize, shape.firstDate, shape.lastDate);
        return buckets * Math.max(1, child(run, perDay)) + workCost(work + matches + (filter.to == null ? shape.events : 0));
      };
  }
}

/** Whether `@skip`/`@include` in `field.conditions` read variables; when they do not, they are decided once here. */
function conditionsOf(field: PlannedField): 'in' | 'out' | 'variable' {
  const variable = field.conditions.some((d) => d.arguments?.some((a) => a.value.kind === Kind.VARIABLE));
  if (variable) return 'variable';
  return included(field.conditions, {}) ? 'in' : 'out';
}

function compileField(field: PlannedField): Part {
  const conditions = conditionsOf(field);
  if (conditions === 'out') return { evaluate: () => 0, constant: true };
  const child: Part = field.selection ? compileSelection(field.selection) : { evaluate: () => 0, constant: true };
  const { weight } = field;
  let part: Part;
  if (weight === 'plain') part = { evaluate: (run, perDay) => 1 + child.evaluate(run, perDay), constant: child.constant };
  else if (typeof weight === 'object') {
    const kind = weight.list;
    if (kind === 'dayEvents') part = { evaluate: (run, perDay) => 1 + perDay * child.evaluate(run, perDay), constant: false };
    else part = { evaluate: (run, perDay) => 1 + run.shape[kind] * child.evaluate(run, perDay), constant: child.constant };
  } else part = { evaluate: argumentWeighed(field, child.evaluate), constant: false };
  if (conditions === 'in') return part;
  const inner = part.evaluate;
  return { evaluate: (run, perDay) => (included(field.conditions, run.vars) ? inner(run, perDay) : 0), constant: false };
}

/** The costliest of the types a selection may resolve to; summed once per store shape when it is constant. */
function compileSelection(selection: PlannedSelection): Part {
  const types = selection.map((fields) => fields.map(compileField));
  const sums = types.map((parts) => parts.map((p) => p.evaluate));
  const evaluate: Evaluate = (run, perDay) => {
    let most = 0;
    for (const fields of sums) {
      let sum = 0;
      for (const f of fields) sum += f(run, perDay);
      most = Math.max(most, sum);
    }
    return most;
  };
  if (!types.every((parts) => parts.every((p) => p.constant))) return { evaluate, constant: false };
  let memo: { shape: StoreShape; cost: number } | undefined;
  return {
    evaluate: (run) => {
      if (memo?.shape !== run.shape) memo = { shape: run.shape, cost: evaluate(run, 1) };
      return memo.cost;
    },
    constant: true,
  };
}

/** Compiles `plan` (an operation's root selection) into its {@link CostFunction}. */
export function compileCostFunction(plan: PlannedSelection): CostFunction {
  const root = compileSelection(plan).evaluate;
  return (vars, store) => root({ vars, store, shape: store.shape }, 1);
}
