/**
 * The direct resolvers answer exactly as type-graphql's own: every example operation, every
 * relation field of every type, and arguments a client gets wrong, run by graphql-js and by
 * graphql-jit over a schema with direct resolvers and over one built without them.
 */
import 'reflect-metadata';
import { execute, isObjectType, parse, printSchema, TypeInfo, validate, visit, visitWithTypeInfo, type ExecutionResult, type GraphQLError, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import * as path from 'node:path';
import pino from 'pino';
import { throughputOperations } from '../../bench/operations';
import { loadDataset } from '../../data/load-dataset';
import { EXAMPLE_OPERATIONS } from '../../playground/example-operations';
import { createFormatError } from '../../server/format-error';
import { resolveTaggedTypesSynchronously } from '../../server/fast-path/sync-type-resolution';
import { EventStore } from '../../store/event-store';
import { createDatelineSchema, createDatelineSchemaWithReport } from '../build-schema';
import type { DatelineContext } from '../context';

const id = (type: string, slug: string) => Buffer.from(`${type}:${slug}`).toString('base64');

const PAGE_INFO = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const HISTORY = `revision updatedAt revisions(first: 5) { totalCount ${PAGE_INFO} edges { cursor node { revision at editor note kind changedFields before after } } nodes { revision } }`;
const EVENT_FIELDS = `id slug title summary category date underWay endDate precision partOfDay timeZone startsAt displayDate
  place { id slug } places { slug } participants { role actor { slug } reportedBy { slug } } casualties { kind count qualifier victims reportedBy { slug } }
  sources { claim source { slug } } quotes { text speaker { slug } reportedBy { slug } } related { slug }
  status retraction { at editor reason } ${HISTORY}`;
const PLACE_FIELDS = `id slug name kind latitude longitude timeZone ${HISTORY} parent { slug } ancestors { slug } children { slug }
  events(first: 2) { totalCount ${PAGE_INFO} edges { cursor node { slug } } nodes { slug } }`;
const ACTOR_FIELDS = `id slug name kind description ${HISTORY} affiliation { slug } events(last: 2, orderBy: { field: DATE, direction: DESC }) { totalCount ${PAGE_INFO} nodes { slug } }`;
const SOURCE_FIELDS = `id slug name kind description url ${HISTORY} events { totalCount ${PAGE_INFO} edges { cursor node { slug } } }`;

/** A named request: a document and its variables. */
interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

/** Operations that must answer without errors; together they ask for every field of every object type. */
const GOOD: Case[] = [
  ...EXAMPLE_OPERATIONS.map(({ name, query, variables }) => ({ name: `example ${name}`, query, variables })),
  ...throughputOperations().map(({ name, body }) => ({ name: `bench ${name}`, ...body })),
  { name: 'every event field', query: `{ events(first: 100) { totalCount ${PAGE_INFO} edges { cursor node { ${EVENT_FIELDS} } } } }` },
  { name: 'every place field', query: `{ places(first: 100) { totalCount ${PAGE_INFO} edges { cursor node { ${PLACE_FIELDS} } } nodes { slug } } }` },
  { name: 'every actor field', query: `{ actors(first: 100) { totalCount ${PAGE_INFO} edges { cursor node { ${ACTOR_FIELDS} } } nodes { slug } } }` },
  { name: 'every source field', query: `{ sources(last: 100) { totalCount ${PAGE_INFO} edges { cursor node { ${SOURCE_FIELDS} } } nodes { slug } } }` },
  {
    name: 'single entities and misses',
    query: `{ event(slug: "idlib-air-strike") { ${EVENT_FIELDS} } place(slug: "damascus") { ${PLACE_FIELDS} } actor(slug: "sergei-lavrov") { ${ACTOR_FIELDS} }
      source(slug: "syrian-state-news-agency") { ${SOURCE_FIELDS} } noEvent: event(slug: "no-such-event") { slug } noPlace: place(slug: "nowhere") { slug }
      noActor: actor(slug: "nobody") { slug } noSource: source(slug: "none") { slug } }`,
  },
  {
    name: 'node and nodes of every type',
    query: `query N($ids: [ID!]!) { node(id: "${id('Place', 'hama-province')}") { __typename id ... on Place { name } }
      nodes(ids: $ids) { __typename id ... on Event { slug } ... on Place { slug } ... on Actor { slug } ... on Source { slug } } }`,
    variables: { ids: [id('Event', 'idlib-air-strike'), id('Place', 'cairo'), id('Actor', 'russia'), id('Source', 'afp'), id('Event', 'no-such-event')] },
  },
  {
    name: 'filters, orders and paging by variables',
    query: `query F($filter: EventFilter, $order: EventOrder, $after: String) {
      a: events(filter: $filter, orderBy: $order, first: 2, after: $after) { totalCount ${PAGE_INFO} nodes { slug date } }
      b: events(filter: { actors: ["sergei-lavrov"], sources: ["rferl", "syrian-state-news-agency"], search: "cairo" }) { totalCount nodes { slug } }
      c: events(last: 3, before: null, orderBy: null, filter: null) { ${PAGE_INFO} nodes { slug } }
      d: timeline { date eventCount events { slug } }
      e: timeline(filter: { from: "2012-11-05", categories: [BOMBING, AIR_STRIKE] }) { date events { slug } }
      f: eventCounts { start end count }
      g: eventCounts(bucket: MONTH, filter: { from: "2012-01-01", to: "2012-12-31" }) { start end count } }`,
    variables: { filter: { places: ['syria'], from: '2012-11-01' }, order: { field: 'DATE', direction: 'DESC' }, after: null },
  },
  {
    name: 'the change feed and retracted events',
    query: `{ changes(first: 10) { totalCount ${PAGE_INFO} edges { cursor node { cursor kind at editor revision note changedFields entityId entity { __typename id } } } nodes { revision } }
      events(filter: { includeRetracted: true }) { totalCount nodes { slug status } } }`,
  },
];

/** Types only mutations return; mutations need an editing service and a token, and are tested over HTTP (server/editing). */
const MUTATION_ONLY = ['Mutation', 'EventMutationPayload', 'PlaceMutationPayload', 'ActorMutationPayload', 'SourceMutationPayload', 'UserError'];
/** Subscriptions run through graphql-js' subscribe with type-graphql's resolver (see server/live); their tests are there. */
const SUBSCRIPTION_ONLY = ['Subscription'];

/** Requests with arguments a client got wrong; each must fail with BAD_USER_INPUT. */
const BAD: Case[] = [
  { name: 'first out of range', query: '{ events(first: 101) { totalCount } }' },
  { name: 'negative last', query: '{ places(last: -1) { totalCount } }' },
  { name: 'first and last', query: '{ actors(first: 1, last: 1) { totalCount } }' },
  { name: 'bad cursor', query: '{ sources(after: "not-a-cursor") { totalCount } }' },
  { name: 'unknown place slug', query: '{ events(filter: { places: ["atlantis"] }) { totalCount } }' },
  { name: 'reversed dates', query: '{ events(filter: { from: "2012-11-05", to: "2012-11-04" }) { totalCount } }' },
  { name: 'search too long', query: 'query S($s: String) { events(filter: { search: $s }) { totalCount } }', variables: { s: 'x'.repeat(201) } },
  { name: 'timeline too long', query: '{ timeline(from: "2010-01-01", to: "2012-12-31") { date } }' },
  { name: 'too many buckets', query: '{ eventCounts(filter: { from: "1900-01-01", to: "2012-12-31" }) { count } }' },
  { name: 'bad global id', query: '{ node(id: "not an id") { id } }' },
  { name: 'bad change cursor', query: '{ changes(after: "bm90LWEtY3Vyc29y") { totalCount } }' },
  { name: 'bad revisions page', query: '{ event(slug: "idlib-air-strike") { revisions(first: 101) { totalCount } } }' },
  { name: 'too many ids', query: 'query N($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids: Array.from({ length: 101 }, () => id('Place', 'cairo')) } },
  { name: 'bad id in a list', query: `{ nodes(ids: ["${id('Place', 'cairo')}", "${id('Planet', 'mars')}"]) { id } }` },
  { name: 'bad page inside a relation', query: '{ place(slug: "syria") { slug events(first: 0) { totalCount } } actor(slug: "russia") { events(before: "x") { totalCount } } }' },
  { name: 'several failing root fields', query: '{ a: events(first: -5) { totalCount } b: node(id: "?") { id } c: place(slug: "cairo") { slug } d: timeline(from: "2012-11-06", to: "2012-11-01") { date } }' },
];

const formatError = createFormatError(pino({ level: 'silent' }));

/** What a client would receive: data and the errors as the server formats them, as JSON. */
function asClientSees(result: ExecutionResult): unknown {
  const errors = result.errors?.map((e: GraphQLError) => formatError(e.toJSON(), e));
  return JSON.parse(JSON.stringify({ data: result.data, ...(errors ? { errors } : {}) }));
}

type Executor = (schema: GraphQLSchema, c: Case) => Promise<unknown>;

const EXECUTORS: [string, Executor][] = [
  ['graphql-js', async (schema, c) => asClientSees(await execute({ schema, document: parse(c.query), variableValues: c.variables, contextValue: context }))],
  [
    'graphql-jit',
    async (schema, c) => {
      const compiled = compileQuery(schema, parse(c.query));
      if (!isCompiledQuery(compiled)) throw new Error(`${c.name}: ${JSON.stringify(compiled.errors)}`);
      return asClientSees(await compiled.query(undefined, context, c.variables ?? {}));
    },
  ],
];

let context: DatelineContext;
const original = createDatelineSchema({ directResolvers: false });
const { schema: direct, report } = createDatelineSchemaWithReport({ directResolvers: true });
resolveTaggedTypesSynchronously(original);
resolveTaggedTypesSynchronously(direct);

beforeAll(async () => {
  context = { store: new EventStore(await loadDataset(path.resolve(__dirname, '..', '..', '..', 'events'))) };
});

describe('the schema with direct resolvers', () => {
  it('calls every root field and every field resolver directly and reads every other field as a property', () => {
    expect(report!.kept).toEqual([]);
    const queryFields = Object.keys(direct.getQueryType()!.getFields()).map((f) => `Query.${f}`);
    expect(queryFields.filter((f) => !report!.direct.includes(f))).toEqual([]);
    for (const type of Object.values(direct.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || SUBSCRIPTION_ONLY.includes(type.name)) continue;
      const before = (original.getType(type.name) as GraphQLObjectType).getFields();
      for (const field of Object.values(type.getFields())) {
        const name = `${type.name}.${field.name}`;
        const how = report!.direct.includes(name) ? 'direct' : report!.plain.includes(name) ? 'plain' : 'untouched';
        // Direct: a new function in place of type-graphql's; plain: no resolver at all.
        const resolve = field.resolve === undefined ? 'none' : field.resolve === before[field.name].resolve ? 'type-graphql' : 'new';
        expect([name, how, resolve]).toEqual([name, how, how === 'direct' ? 'new' : 'none']);
      }
    }
  });

  it('is the same schema', () => {
    expect(printSchema(direct)).toEqual(printSchema(original));
  });

  it('is asked for every field of every object type by the good operations', () => {
    const asked = new Set<string>();
    for (const c of GOOD) {
      const document = parse(c.query);
      expect([c.name, validate(direct, document)]).toEqual([c.name, []]);
      const typeInfo = new TypeInfo(direct);
      visit(
        document,
        visitWithTypeInfo(typeInfo, {
          Field() {
            const parent = typeInfo.getParentType();
            const field = typeInfo.getFieldDef();
            if (parent && field) asked.add(`${parent.name}.${field.name}`);
          },
        }),
      );
    }
    const missing = Object.values(direct.getTypeMap())
      .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && !MUTATION_ONLY.includes(t.name) && !SUBSCRIPTION_ONLY.includes(t.name))
      .flatMap((t) => Object.keys(t.getFields()).map((f) => `${t.name}.${f}`))
      .filter((f) => !asked.has(f));
    expect(missing).toEqual([]);
  });
});

describe.each(EXECUTORS)('under %s', (_executor, run) => {
  it.each(GOOD.map((c) => [c.name, c] as const))('%s: answers the same, without errors', async (_name, c) => {
    const expected = (await run(original, c)) as { errors?: unknown; data: unknown };
    expect(expected.errors).toBeUndefined();
    expect(await run(direct, c)).toEqual(expected);
  });

  it.each(BAD.map((c) => [c.name, c] as const))('%s: fails the same, with BAD_USER_INPUT', async (_name, c) => {
    const expected = (await run(original, c)) as { errors?: { extensions: { code: string } }[] };
    expect(expected.errors?.length).toBeGreaterThan(0);
    expect(expected.errors!.map((e) => e.extensions.code)).toEqual(expected.errors!.map(() => 'BAD_USER_INPUT'));
    expect(await run(direct, c)).toEqual(expected);
  });
});
