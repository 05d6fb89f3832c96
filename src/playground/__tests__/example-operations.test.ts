/** The playground's example operations: each is valid against the schema and runs cleanly on the default data. */
import 'reflect-metadata';
import { execute, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import * as path from 'node:path';
import { loadDataset } from '../../data/load-dataset';
import { buildDatelineSchema } from '../../schema/build-schema';
import { EventStore } from '../../store/event-store';
import { EXAMPLE_OPERATIONS, TIMELINE_EXAMPLE } from '../example-operations';

const schema = buildDatelineSchema();
let store: EventStore;

beforeAll(async () => {
  store = new EventStore(await loadDataset(path.resolve(__dirname, '..', '..', '..', 'events')));
});

/** The single operation of an example's document. */
function operationOf(query: string): OperationDefinitionNode {
  const operations = parse(query).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0];
}

describe.each(EXAMPLE_OPERATIONS.map((example) => [example.name, example] as const))('example %s', (name, example) => {
  it('is one operation named after the example, valid against the schema', () => {
    expect(operationOf(example.query).name?.value).toBe(name);
    expect(validate(schema, parse(example.query))).toEqual([]);
  });

  it('runs without errors on the default data, and every root field it asks for finds something', async () => {
    const result = await execute({ schema, document: parse(example.query), variableValues: example.variables, contextValue: { store } });
    expect(result.errors).toBeUndefined();
    for (const [field, value] of Object.entries(result.data ?? {})) {
      expect([field, value]).not.toEqual([field, null]);
      if (Array.isArray(value)) expect([field, value.length]).not.toEqual([field, 0]);
      if (value && typeof value === 'object' && 'totalCount' in value) expect([field, value.totalCount]).not.toEqual([field, 0]);
    }
    if (Array.isArray(result.data?.nodes)) expect(result.data.nodes).not.toContain(null);
  });
});

it('covers every root field of the public API (shared/API.md)', () => {
  const apiRootFields = ['events', 'timeline', 'places', 'actors', 'sources', 'event', 'place', 'actor', 'source', 'node', 'nodes'];
  const used = new Set(
    EXAMPLE_OPERATIONS.flatMap((example) =>
      operationOf(example.query).selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])),
    ),
  );
  expect(apiRootFields.filter((field) => !used.has(field))).toEqual([]);
});

it('opens on the 4-5 November timeline with places, casualty figures and sources', async () => {
  const result = await execute({ schema, document: parse(TIMELINE_EXAMPLE.query), variableValues: TIMELINE_EXAMPLE.variables, contextValue: { store } });
  const days = result.data?.timeline as { date: string; events: { place: unknown; casualties: unknown[]; sources: unknown[] }[] }[];
  expect(days.map((day) => day.date)).toEqual(['2012-11-04', '2012-11-05']);
  const events = days.flatMap((day) => day.events);
  expect(events.every((event) => event.place !== null && event.sources.length > 0)).toBe(true);
  expect(events.some((event) => event.casualties.length > 0)).toBe(true);
});
