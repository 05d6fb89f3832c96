/** The compiled cost: the same figures however arguments are given, constant parts summed once per store shape. */
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { compileVariableParsing, failToParseVariables } from 'graphql-jit/dist/variables';
import { variedOperations } from '../../../bench/varied-requests';
import { buildDatelineSchema } from '../../../schema/build-schema';
import { buildDataset } from '../../../store/__tests__/fixtures/dataset';
import { EventStore } from '../../../store/event-store';
import type { StoreShape } from '../../../store/work-estimate';
import { compilePlan } from '../cost-plan';
import { compileCostFunction } from '../cost-plan-function';
import { createQueryCost } from '../query-cost';

const dataset = buildDataset();
const store = new EventStore(dataset);
const schema = buildDatelineSchema();
const cost = createQueryCost(schema, store);
const of = (query: string, variables: Record<string, unknown> = {}) => cost.of(parse(query), undefined, variables);

it('costs arguments given as variables, defaults and literal objects as the same arguments written out', () => {
  const literal = of('{ events(first: 7, filter: { search: "damascus" }) { totalCount nodes { title place { name } } } }');
  expect(literal).toBeGreaterThan(7);
  expect(of('query Q($n: Int!, $f: EventFilter) { events(first: $n, filter: $f) { totalCount nodes { title place { name } } } }', { n: 7, f: { search: 'damascus' } })).toBe(literal);
  expect(of('query Q($n: Int = 7, $s: String) { events(first: $n, filter: { search: $s }) { totalCount nodes { title place { name } } } }', { s: 'damascus' })).toBe(literal);
  // Left out, a nullable page size is the default page, as when no argument is written.
  expect(of('query Q($n: Int) { events(first: $n) { totalCount } }')).toBe(of('{ events { totalCount } }'));
});

it('leaves out fields that @skip/@include leave out, read from literals once and from variables per request', () => {
  const without = of('{ events(first: 5) { totalCount } }');
  const query = 'query Q($on: Boolean!) { events(first: 5) { totalCount } places(first: 9) @include(if: $on) { totalCount } }';
  expect(of(query, { on: false })).toBe(without);
  expect(of(query, { on: true })).toBe(without! + 9);
  expect(of('{ events(first: 5) { totalCount } places(first: 9) @skip(if: true) { totalCount } }')).toBe(without);
});

it('still refuses a bad page size with the argument named, and leaves bad variables to execution', () => {
  expect(() => of('query Q($n: Int!) { events(first: $n) { totalCount } }', { n: -1 })).toThrow(GraphQLError);
  expect(of('query Q($n: Int!) { events(first: $n) { totalCount } }', { n: 'ten' })).toBeUndefined();
});

it('gives the same figure from graphql-jit coerced variables (the fast path) as from graphql-js coercion', () => {
  for (const op of variedOperations(dataset, 40)) {
    for (const body of op.bodies) {
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, unknown> };
      const document = parse(query);
      const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
      const coerced = compileVariableParsing(schema, operation.variableDefinitions ?? [])(variables);
      if (failToParseVariables(coerced)) throw new Error(`refused ${body}`);
      const name = operation.name?.value;
      expect(cost.ofCoerced(document, name, coerced.coerced)).toBe(cost.of(document, name, variables));
    }
  }
});

it('adds up a selection that reads no arguments once per store shape, and again when the shape changes', () => {
  const document = parse('{ events(first: 3) { nodes { title participants { role } casualties { count } } } }');
  const operation = document.definitions[0] as OperationDefinitionNode;
  const fn = compileCostFunction(compilePlan(schema, operation, new Map(), 1000));
  let reads = 0;
  const shapeWith = (participants: number): StoreShape => {
    const shape = { ...store.shape };
    Object.defineProperty(shape, 'participants', { get: () => (reads++, participants) });
    return shape;
  };
  const figures = (shape: StoreShape) => ({ shape, estimate: store.estimate.bind(store) });
  const first = figures(shapeWith(2));
  const a = fn({}, first);
  expect(fn({}, first)).toBe(a);
  expect(reads).toBe(1);
  const wider = fn({}, figures(shapeWith(5)));
  expect(reads).toBe(2);
  // Three nodes, each with three more participants of one field each.
  expect(wider - a).toBe(3 * 3 * 1);
});
