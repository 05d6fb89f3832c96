import { execute, parse, print, type DocumentNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { loadDataset } from '../../../data/load-dataset';
import { throughputOperations } from '../../../bench/operations';
import { EXAMPLE_OPERATIONS } from '../../../playground/example-operations';
import { buildDatelineSchema, createDatelineSchema } from '../../../schema/build-schema';
import { EventStore } from '../../../store/event-store';
import { compileEntityQueries, entityFetch } from '../entity-fetch';
import { planEntityFragments, writeFull, writeWithFragments, type EntityFetch, type FragmentPlan } from '../entity-fragments';
import { EntityJsonCache, ReuseGauge } from '../entity-json-cache';
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

  const compile = (document: DocumentNode) => {
    const compiled = compileQuery(schema, document);
    if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled));
    return compiled;
  };

  /** Runs `plan` of `document` as the fast path does, giving the JSON text of the data; also says whether the whole document ran. */
  const runPlan = async (document: DocumentNode, plan: FragmentPlan, cache: EntityJsonCache, variables: Record<string, unknown> | undefined, fetch?: EntityFetch) => {
    const result = await compile(plan.document).query(undefined, { store }, variables ?? {});
    expect(result.errors).toBeUndefined();
    let wholeRan = false;
    const written = await writeWithFragments(
      result.data,
      plan,
      cache,
      async () => {
        wholeRan = true;
        return (await compile(document).query(undefined, { store }, variables ?? {})).data;
      },
      fetch,
    );
    if (!fetch) expect(written?.missed).toBe(wholeRan);
    return { text: written?.json, wholeRan };
  };

  it('cuts out exactly the entity selections that read no variable and carry no directive', () => {
    const plan = planEntityFragments(schema, parse(MORE[2].query))!;
    // The events and their place read $n, so they stay; the events of that place and their places do not.
    expect(one(print(plan.document))).toBe(
      one('query($n: Int!) { events(first: 3) { nodes { slug place { slug events(first: $n) { nodes { _dateline_entity_0: id } } } places { _dateline_entity_1: id } } } } fragment P on Place { name kind }'),
    );
    expect([...plan.markers.values()].map((selection) => selection.replace(/\s+/g, ' '))).toEqual([
      '... on Event { slug } fragment P on Place { name kind }',
      '... on Place { ...P } fragment P on Place { name kind }',
    ]);
    // The full document leads each entity selection with its marker, and leaves the entities inside it alone.
    expect(one(print(plan.full!))).toBe(
      one(
        'query($n: Int!) { events(first: 3) { nodes { slug place { slug events(first: $n) { nodes { _dateline_entity_0: id slug } } } places { _dateline_entity_1: id ...P } } } } fragment P on Place { name kind }',
      ),
    );
    // An entity selection inside a fragment that entities spread would leave a marker in their JSON: no full document.
    expect(planEntityFragments(schema, parse(MORE[3].query))!.full).toBeNull();
    const timeline = planEntityFragments(schema, parse(throughputOperations()[0].body.query))!;
    expect(print(timeline.full!).match(/_dateline_entity_/g)).toHaveLength(1); // the events' places are part of each event's JSON
    expect(planEntityFragments(schema, parse('query($skip: Boolean!) { event(slug: "x") { title @skip(if: $skip) } }'))).toBeNull();
    expect(planEntityFragments(schema, parse('{ eventCounts(bucket: DAY) { start count } }'))).toBeNull();
    expect(planEntityFragments(schema, parse('{ event(slug: "x") { _dateline_entity_0: title } }'))).toBeNull();
  });

  it('gives the very text JSON.stringify gives for plain graphql-js execution, from an empty cache, a full one, and entities fetched alone', async () => {
    const plain = buildDatelineSchema();
    const bodies: { query: string; variables?: Record<string, unknown> }[] = [...EXAMPLE_OPERATIONS, ...throughputOperations().map((op) => op.body), ...MORE];
    const cache = new EntityJsonCache(1_000_000);
    let planned = 0;
    let fullPlanned = 0;
    for (const body of bodies) {
      const document: DocumentNode = parse(body.query);
      const expected = await execute({ schema: plain, document, contextValue: { store }, variableValues: body.variables });
      expect(expected.errors).toBeUndefined();
      const plan = planEntityFragments(schema, document);
      if (!plan) continue;
      planned++;
      const fresh = new EntityJsonCache(1_000_000);
      expect(await runPlan(document, plan, fresh, body.variables)).toEqual({ text: JSON.stringify(expected.data), wholeRan: true });
      expect(await runPlan(document, plan, fresh, body.variables)).toEqual({ text: JSON.stringify(expected.data), wholeRan: false });
      // Every entity fetched alone, under node(id:) with its selection.
      const counts = { entitiesFetched: 0 };
      const alone = await runPlan(document, plan, new EntityJsonCache(1_000_000), body.variables, entityFetch(compileEntityQueries(schema, plan)!, { store }, counts));
      expect(alone).toEqual({ text: JSON.stringify(expected.data), wholeRan: false });
      expect(counts.entitiesFetched).toBeGreaterThan(0);
      // Entities kept under one document serve another with the same selection.
      await runPlan(document, plan, cache, body.variables);
      // The full document: every entity's JSON taken from its result (and kept), then from the cache it filled.
      if (!plan.full) continue;
      fullPlanned++;
      const fullResult = await compile(plan.full).query(undefined, { store }, body.variables ?? {});
      const filled = new EntityJsonCache(1_000_000);
      expect(writeFull(fullResult.data, plan, filled)).toEqual({ json: JSON.stringify(expected.data), missed: true });
      expect(filled.size).toBe(fresh.size);
      expect(writeFull(fullResult.data, plan, filled)).toEqual({ json: JSON.stringify(expected.data), missed: false });
    }
    expect(planned).toBeGreaterThan(bodies.length / 2);
    expect(fullPlanned).toBeGreaterThan(planned / 2);
    expect(cache.size).toBeGreaterThan(10);
  });

  it('serializes entities anew when the cache keeps nothing, with the same text', async () => {
    const body = throughputOperations()[0].body;
    const plan = planEntityFragments(schema, parse(body.query))!;
    const full = new EntityJsonCache(1_000_000);
    const none = new EntityJsonCache(1);
    const document = parse(body.query);
    expect((await runPlan(document, plan, none, body.variables)).text).toBe((await runPlan(document, plan, full, body.variables)).text);
    expect(await runPlan(document, plan, none, body.variables)).toMatchObject({ wholeRan: true });
    expect(none.size).toBe(0);
    const { from, to } = body.variables as { from: string; to: string };
    expect(full.size).toBe(store.timeline(from, to, {}).flatMap((day) => day.events).length);
  });

  it('keeps at most its limit of bytes (two per character of key and JSON, and each entry\'s overhead), dropping the oldest entries first', () => {
    const entry = (key: string, json: string) => 2 * (key.length + json.length) + EntityJsonCache.entryOverhead;
    const cache = new EntityJsonCache(2 * entry('0:a', '12345'));
    cache.set(cache.key('s', 'a'), '12345');
    cache.set(cache.key('s', 'b'), '12345');
    cache.set(cache.key('s', 'c'), '123');
    expect(cache.get(cache.key('s', 'a'))).toBeUndefined();
    expect(cache.get(cache.key('s', 'b'))).toBe('12345');
    expect(cache.get(cache.key('s', 'c'))).toBe('123');
    expect(cache.bytesKept).toBe(entry('0:b', '12345') + entry('0:c', '123'));
    expect(cache.key('s', 'c')).not.toBe(cache.key('t', 'c'));
    cache.set(cache.key('s', 'd'), 'x'.repeat(100)); // larger than the whole cache: not kept, nothing dropped for it
    expect(cache.size).toBe(2);
  });

  it('stops trying the cache while answers keep missing it, and tries again now and then', () => {
    const gauge = new ReuseGauge();
    const tries = (n: number, missed: boolean) => {
      let tried = 0;
      for (let i = 0; i < n; i++) {
        if (!gauge.shouldTry()) continue;
        tried++;
        gauge.record(missed);
      }
      return tried;
    };
    expect(tries(5, true)).toBe(5); // a few misses: still worth trying
    expect(tries(64, true)).toBeLessThan(10); // mostly misses: one in 16 tries
    expect(tries(200, false)).toBeGreaterThan(100); // hits again: after a few hits in a row, back to trying every time
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

  it('fetches an entity missing from the cache alone and keeps it, running the whole document only when that fails', async () => {
    const plan = planEntityFragments(schema, parse('{ events(first: 2) { nodes { title } } }'))!;
    const [selection] = plan.markers.values();
    expect(print(plan.entityDocuments.get(selection)!).replace(/\s+/g, ' ')).toBe('query DatelineEntity($id: ID!) { node(id: $id) { ... on Event { title } } }');
    const cut = { events: { nodes: [{ _dateline_entity_0: 'RXZlbnQ6YQ==' }, { _dateline_entity_0: 'RXZlbnQ6Yg==' }] } };
    const json = '{"events":{"nodes":[{"title":"a"},{"title":"b"}]}}';
    const cache = new EntityJsonCache(1000);
    cache.set(cache.key(selection, 'RXZlbnQ6YQ=='), '{"title":"a"}');
    const asked: string[] = [];
    const fetch = (s: string, id: string) => {
      asked.push(id);
      return s === selection && id === 'RXZlbnQ6Yg==' ? '{"title":"b"}' : undefined;
    };
    const neverWhole = () => {
      throw new Error('the whole document ran');
    };
    // One of two fetched: the cache still paid for part of it.
    expect(writeWithFragments(cut, plan, cache, neverWhole, fetch)).toEqual({ json, missed: false });
    expect(cache.get(cache.key(selection, 'RXZlbnQ6Yg=='))).toBe('{"title":"b"}');
    expect(writeWithFragments(cut, plan, cache, neverWhole, fetch)).toEqual({ json, missed: false });
    expect(asked).toEqual(['RXZlbnQ6Yg==']);
    // Both fetched: answered, but the cache did not pay.
    expect(writeWithFragments(cut, plan, new EntityJsonCache(1000), neverWhole, () => '{"title":"x"}')).toEqual({ json: '{"events":{"nodes":[{"title":"x"},{"title":"x"}]}}', missed: true });
    // A fetch that cannot, with a full document: it runs, and its result gives the text and the entities kept.
    const fullData = { events: { nodes: [{ _dateline_entity_0: 'RXZlbnQ6YQ==', title: 'a' }, { _dateline_entity_0: 'RXZlbnQ6Yg==', title: 'b' }] } };
    const fromFull = new EntityJsonCache(1000);
    expect(writeWithFragments(cut, plan, fromFull, () => fullData, () => undefined, true)).toEqual({ json, missed: true });
    expect(fromFull.get(fromFull.key(selection, 'RXZlbnQ6Yg=='))).toBe('{"title":"b"}');
    // A fetch that cannot: the whole document answers.
    expect(writeWithFragments(cut, plan, new EntityJsonCache(1000), () => ({ events: { nodes: [{ title: 'a' }, { title: 'b' }] } }), () => undefined)).toEqual({ json, missed: true });
  });

  it('gives up (undefined) when the whole document fails or its result has another shape, so the caller answers another way', async () => {
    const plan = planEntityFragments(schema, parse('{ events(first: 2) { nodes { title } } }'))!;
    const cut = { events: { nodes: [{ _dateline_entity_0: 'RXZlbnQ6YQ==' }, { _dateline_entity_0: 'RXZlbnQ6Yg==' }] } };
    const cache = new EntityJsonCache(1000);
    expect(await writeWithFragments(cut, plan, cache, () => undefined)).toBeUndefined();
    expect(await writeWithFragments(cut, plan, cache, () => ({ events: { nodes: [{ title: 'a' }] } }))).toBeUndefined();
    expect(await writeWithFragments({ events: { nodes: [{ _dateline_entity_0: 42 }] } }, plan, cache, () => ({ events: { nodes: [{ title: 'a' }] } }))).toBeUndefined();
    expect(cache.size).toBe(0);
    const json = '{"events":{"nodes":[{"title":"a"},{"title":"b"}]}}';
    expect(await writeWithFragments(cut, plan, cache, () => ({ events: { nodes: [{ title: 'a' }, { title: 'b' }] } }))).toEqual({ json, missed: true });
    expect(await writeWithFragments(cut, plan, cache, () => undefined)).toEqual({ json, missed: false });
  });
});
