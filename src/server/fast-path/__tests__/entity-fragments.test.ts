import { execute, parse, print, type DocumentNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { loadDataset } from '../../../data/load-dataset';
import { throughputOperations } from '../../../bench/operations';
import { EXAMPLE_OPERATIONS } from '../../../playground/example-operations';
import { buildDatelineSchema, createDatelineSchema } from '../../../schema/build-schema';
import { EventStore } from '../../../store/event-store';
import { EntityJsonCache, planEntityFragments, writeWithFragments, type FragmentPlan } from '../entity-fragments';
import { resolveTaggedTypesSynchronously } from '../sync-type-resolution';

const schema = createDatelineSchema({ synchronousArguments: true });
resolveTaggedTypesSynchronously(schema);

/** Operations with entity selections of every kind: nested, in fragments, under interfaces, beside variables. */
const MORE = [
  { query: '{ nodes(ids: ["UGxhY2U6ZGFtYXNjdXM=", "QWN0b3I6bm9ib2R5"]) { __typename id ... on Place { name ancestors { slug } } } }' },
  { query: 'query Places { places(first: 5) { edges { cursor node { slug children { slug } events(first: 2) { totalCount } } } } }' },
  { query: 'query($n: Int!) { events(first: 3) { nodes { slug place { slug events(first: $n) { nodes { slug } } } places { ...P } } } } fragment P on Place { name kind }', variables: { n: 2 } },
  { query: '{ a: event(slug: "idlib-air-strike") { ...E } b: event(slug: "geneva-declaration") { ...E } } fragment E on Event { title place { name } }' },
];

const one = (text: string) => print(parse(text)).replace(/\s+/g, ' ');

describe('entity fragments', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = new EventStore(await loadDataset('events'));
  });

  /** Runs `plan` as the fast path does, giving the JSON text of `data`. */
  const runPlan = async (plan: FragmentPlan, cache: EntityJsonCache, variables: Record<string, unknown> | undefined) => {
    const compiled = compileQuery(schema, plan.document);
    if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
    const result = await compiled.query(undefined, { store }, variables ?? {});
    expect(result.errors).toBeUndefined();
    return writeWithFragments(result.data, plan, cache, { store });
  };

  it('cuts out exactly the entity selections that read no variable and carry no directive', () => {
    const plan = planEntityFragments(schema, parse(MORE[2].query))!;
    // The events and their place read $n, so they stay; the events of that place and their places do not.
    expect(one(print(plan.document))).toBe(
      one('query($n: Int!) { events(first: 3) { nodes { slug place { slug events(first: $n) { nodes { _dateline_entity_0: id } } } places { _dateline_entity_1: id } } } } fragment P on Place { name kind }'),
    );
    expect([...plan.markers.values()].map((m) => one(m.selection))).toEqual([
      one('query DatelineEntity($id: ID!) { node(id: $id) { ... on Event { slug } } } fragment P on Place { name kind }'),
      one('query DatelineEntity($id: ID!) { node(id: $id) { ... on Place { ...P } } } fragment P on Place { name kind }'),
    ]);
    expect(planEntityFragments(schema, parse('query($skip: Boolean!) { event(slug: "x") { title @skip(if: $skip) } }'))).toBeNull();
    expect(planEntityFragments(schema, parse('{ eventCounts(bucket: DAY) { start count } }'))).toBeNull();
    expect(planEntityFragments(schema, parse('{ event(slug: "x") { _dateline_entity_0: title } }'))).toBeNull();
  });

  it('gives the very text JSON.stringify gives for plain graphql-js execution, from an empty cache and from a full one', async () => {
    const plain = buildDatelineSchema();
    const bodies: { query: string; variables?: Record<string, unknown> }[] = [...EXAMPLE_OPERATIONS, ...throughputOperations().map((op) => op.body), ...MORE];
    const cache = new EntityJsonCache(1_000_000);
    let planned = 0;
    for (const body of bodies) {
      const document: DocumentNode = parse(body.query);
      const expected = await execute({ schema: plain, document, contextValue: { store }, variableValues: body.variables });
      expect(expected.errors).toBeUndefined();
      const plan = planEntityFragments(schema, document);
      if (!plan) continue;
      planned++;
      const before = cache.size;
      expect(await runPlan(plan, cache, body.variables)).toBe(JSON.stringify(expected.data));
      const kept = cache.size;
      expect(await runPlan(plan, cache, body.variables)).toBe(JSON.stringify(expected.data));
      expect(cache.size).toBe(kept); // the second time every entity came from the cache
      if (JSON.stringify(expected.data).includes('"id"')) expect(kept).toBeGreaterThanOrEqual(before);
    }
    expect(planned).toBeGreaterThan(bodies.length / 2);
    expect(cache.size).toBeGreaterThan(10);
  });

  it('serializes entities anew when the cache keeps nothing, with the same text', async () => {
    const body = throughputOperations()[0].body;
    const plan = planEntityFragments(schema, parse(body.query))!;
    const full = new EntityJsonCache(1_000_000);
    const none = new EntityJsonCache(1);
    expect(await runPlan(plan, none, body.variables)).toBe(await runPlan(plan, full, body.variables));
    expect(none.size).toBe(0);
    const { from, to } = body.variables as { from: string; to: string };
    expect(full.size).toBe(store.timeline(from, to, {}).flatMap((day) => day.events).length);
  });

  it('keeps at most its limit of characters, dropping the oldest entries first', () => {
    const cache = new EntityJsonCache(10);
    cache.set(cache.key('s', 'a'), '12345');
    cache.set(cache.key('s', 'b'), '12345');
    cache.set(cache.key('s', 'c'), '123');
    expect(cache.get(cache.key('s', 'a'))).toBeUndefined();
    expect(cache.get(cache.key('s', 'b'))).toBe('12345');
    expect(cache.get(cache.key('s', 'c'))).toBe('123');
    expect(cache.key('s', 'c')).not.toBe(cache.key('t', 'c'));
    cache.set(cache.key('s', 'd'), '12345678901');
    expect(cache.size).toBe(2);
  });

  it('starts afresh rather than number selections without bound', () => {
    const cache = new EntityJsonCache(1000, 2);
    cache.set(cache.key('s', 'a'), 'A');
    cache.set(cache.key('t', 'a'), 'B');
    expect(cache.size).toBe(2);
    const third = cache.key('u', 'a'); // a third selection: everything is dropped first
    expect(cache.size).toBe(0);
    cache.set(third, 'C');
    expect(cache.get(cache.key('u', 'a'))).toBe('C');
    expect(cache.get(cache.key('s', 'a'))).toBeUndefined();
  });

  it('gives up (undefined) when an entity query fails, so the caller answers another way', async () => {
    const plan = planEntityFragments(schema, parse('{ event(slug: "idlib-air-strike") { title } }'))!;
    // An id that names no entity: node(id:) is null, which is not an entity's JSON.
    expect(writeWithFragments({ event: { _dateline_entity_0: 'RXZlbnQ6bm9uZQ==' } }, plan, new EntityJsonCache(1000), { store })).toBeUndefined();
    expect(writeWithFragments({ event: { _dateline_entity_0: 42 } }, plan, new EntityJsonCache(1000), { store })).toBeUndefined();
  });
});
