import { startTestServer, type TestServer } from '../../test-support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const data = async (query: string, variables?: Record<string, unknown>) => {
  const { status, body } = await server.graphql(query, variables);
  expect(body.errors).toBeUndefined();
  expect(status).toBe(200);
  return body.data!;
};

const userError = async (query: string, variables?: Record<string, unknown>) => {
  const { body } = await server.graphql(query, variables);
  expect(body.errors).toHaveLength(1);
  const [error] = body.errors!;
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(JSON.stringify(body)).not.toMatch(/stacktrace|\bat .*\.ts:\d+/);
  return { message: error.message, argument: error.extensions?.argument };
};

describe('root fields over HTTP', () => {
  it('events pages through every event in date order', async () => {
    const { events } = await data('{ events(first: 3) { totalCount edges { cursor node { slug date } } nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }');
    expect(events.totalCount).toBe(server.store.count());
    expect(events.nodes.map((n: { slug: string }) => n.slug)).toEqual([
      'geneva-declaration',
      'damascus-fighting-tadamon-yarmouk',
      'lavrov-meets-elaraby-and-brahimi-in-cairo',
    ]);
    expect(events.edges.map((e: { node: unknown }) => e.node)).toEqual([
      { slug: 'geneva-declaration', date: '2012-06-01' },
      { slug: 'damascus-fighting-tadamon-yarmouk', date: '2012-11-04' },
      { slug: 'lavrov-meets-elaraby-and-brahimi-in-cairo', date: '2012-11-04' },
    ]);
    expect(events.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: events.edges[0].cursor,
      endCursor: events.edges[2].cursor,
    });
    const next = await data('query($after: String) { events(first: 10, after: $after) { nodes { slug } pageInfo { hasNextPage hasPreviousPage } } }', {
      after: events.pageInfo.endCursor,
    });
    expect(next.events.nodes.map((n: { slug: string }) => n.slug)).toEqual([
      'hama-checkpoint-suicide-car-bombing',
      'idlib-air-strike',
      'lavrov-cairo-press-conference',
      'syrian-opposition-talks-in-qatar',
    ]);
    expect(next.events.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });
  });

  it('events filters by place, category and date range, newest first', async () => {
    const { events } = await data(`{
      events(filter: { places: ["syria"], categories: [BOMBING, AIR_STRIKE, ARMED_CLASH], from: "2012-11-04", to: "2012-11-05" },
             orderBy: { field: DATE, direction: DESC }) { totalCount nodes { slug category place { slug } } }
    }`);
    expect(events).toEqual({
      totalCount: 3,
      nodes: [
        { slug: 'idlib-air-strike', category: 'AIR_STRIKE', place: { slug: 'idlib-province' } },
        { slug: 'hama-checkpoint-suicide-car-bombing', category: 'BOMBING', place: { slug: 'hama-province' } },
        { slug: 'damascus-fighting-tadamon-yarmouk', category: 'ARMED_CLASH', place: { slug: 'damascus' } },
      ],
    });
  });

  it('events searches words over quotes and names', async () => {
    const { events } = await data('{ events(filter: { search: "SECRET americans" }) { nodes { slug } } }');
    expect(events.nodes.map((n: { slug: string }) => n.slug)).toEqual(['lavrov-cairo-press-conference']);
  });

  it('timeline groups the November days and counts their events', async () => {
    const { timeline } = await data('{ timeline(from: "2012-11-04", to: "2012-11-05") { date eventCount events { slug } } }');
    expect(timeline).toEqual([
      { date: '2012-11-04', eventCount: 2, events: [{ slug: 'damascus-fighting-tadamon-yarmouk' }, { slug: 'lavrov-meets-elaraby-and-brahimi-in-cairo' }] },
      {
        date: '2012-11-05',
        eventCount: 4,
        events: [
          { slug: 'hama-checkpoint-suicide-car-bombing' },
          { slug: 'idlib-air-strike' },
          { slug: 'lavrov-cairo-press-conference' },
          { slug: 'syrian-opposition-talks-in-qatar' },
        ],
      },
    ]);
  });

  it('places, actors and sources list their catalogues by slug', async () => {
    const { places, actors, sources } = await data(`{
      places(first: 100) { totalCount nodes { slug } }
      actors(first: 2) { totalCount nodes { slug } pageInfo { hasNextPage } }
      sources(last: 1) { totalCount nodes { slug } pageInfo { hasPreviousPage hasNextPage } }
    }`);
    const slugs = (list: { nodes: { slug: string }[] }) => list.nodes.map((n) => n.slug);
    expect(places.totalCount).toBe(server.store.counts.places);
    expect(slugs(places)).toEqual([...slugs(places)].sort());
    expect(slugs(places)).toContain('tadamon');
    expect(actors).toEqual({ totalCount: server.store.counts.actors, nodes: [{ slug: 'al-qaeda-inspired-rebel-group' }, { slug: 'arab-league' }], pageInfo: { hasNextPage: true } });
    expect(sources.totalCount).toBe(server.store.counts.sources);
    expect(sources.pageInfo).toEqual({ hasPreviousPage: true, hasNextPage: false });
  });

  it('event, place, actor and source look up by slug and follow their relations', async () => {
    const found = await data(`{
      event(slug: "hama-checkpoint-suicide-car-bombing") {
        title date endDate precision timeZone startsAt displayDate
        place { slug } participants { role actor { slug } }
        casualties { kind count qualifier victims reportedBy { slug } }
        sources { source { slug } }
      }
      place(slug: "tadamon") { name kind parent { slug } ancestors { slug } events { nodes { slug } } }
      actor(slug: "sergei-lavrov") { name kind description affiliation { slug } events { totalCount } }
      source(slug: "syrian-observatory-for-human-rights") { name kind description events { nodes { slug } } }
    }`);
    expect(found.event).toMatchObject({
      date: '2012-11-05',
      endDate: null,
      precision: 'DAY',
      timeZone: 'Asia/Damascus',
      startsAt: null,
      displayDate: '5 November 2012',
      place: { slug: 'hama-province' },
      casualties: [{ kind: 'KILLED', count: 50, qualifier: 'AT_LEAST', victims: 'Syrian government soldiers and fighters loyal to Assad', reportedBy: { slug: 'syrian-observatory-for-human-rights' } }],
    });
    expect(found.event.participants).toEqual(
      expect.arrayContaining([{ role: 'ATTACKER', actor: { slug: 'al-qaeda-inspired-rebel-group' } }]),
    );
    expect(found.place).toEqual({
      name: 'Tadamon',
      kind: 'NEIGHBOURHOOD',
      parent: { slug: 'damascus' },
      ancestors: [{ slug: 'damascus' }, { slug: 'syria' }],
      events: { nodes: [{ slug: 'damascus-fighting-tadamon-yarmouk' }] },
    });
    expect(found.actor).toEqual({ name: 'Sergei Lavrov', kind: 'PERSON', description: 'Foreign Minister of Russia', affiliation: { slug: 'russia' }, events: { totalCount: 2 } });
    expect(found.source.description).toBe('London-based monitoring group');
    expect(found.source.events.nodes.map((n: { slug: string }) => n.slug)).toEqual([
      'damascus-fighting-tadamon-yarmouk',
      'hama-checkpoint-suicide-car-bombing',
      'idlib-air-strike',
    ]);
  });

  it('slug lookups return null when nothing has that slug', async () => {
    expect(await data('{ event(slug: "nope") { slug } place(slug: "nope") { slug } actor(slug: "nope") { slug } source(slug: "nope") { slug } }')).toEqual({
      event: null,
      place: null,
      actor: null,
      source: null,
    });
  });
});

describe('node and nodes', () => {
  const listQuery = `{
    events(first: 100) { nodes { __typename id slug } }
    places(first: 100) { nodes { __typename id slug } }
    actors(first: 100) { nodes { __typename id slug } }
    sources(first: 100) { nodes { __typename id slug } }
  }`;

  it('round-trips the global ID of every entity of every type', async () => {
    const lists = await data(listQuery);
    const all = Object.values(lists).flatMap((l: any) => l.nodes) as { __typename: string; id: string; slug: string }[];
    expect(new Set(all.map((n) => n.__typename))).toEqual(new Set(['Event', 'Place', 'Actor', 'Source']));
    for (const entity of all) {
      const { node } = await data(
        `query($id: ID!) { node(id: $id) { __typename id ... on Event { slug } ... on Place { slug } ... on Actor { slug } ... on Source { slug } } }`,
        { id: entity.id },
      );
      expect(node).toEqual(entity);
    }
    const { nodes } = await data('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: all.map((n) => n.id) });
    expect(nodes).toEqual(all.map((n) => ({ id: n.id })));
  });

  it('gives null for an ID of ours that names nothing, and an error for one that is not ours', async () => {
    const unknown = Buffer.from('Event:no-such-event').toString('base64');
    expect(await data('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [unknown] })).toEqual({ nodes: [null] });
    expect(await userError('{ node(id: "garbage!") { id } }')).toEqual({
      argument: 'id',
      message: 'id: "garbage!" is not a Dateline ID; use the id field of an Event, Place, Actor or Source',
    });
  });
});

describe('bad arguments', () => {
  it.each([
    ['{ events(first: 101) { totalCount } }', 'first', 'Query.events: first: must be between 1 and 100, got 101'],
    ['{ events(last: 0) { totalCount } }', 'last', 'Query.events: last: must be between 1 and 100, got 0'],
    ['{ events(first: 1, last: 1) { totalCount } }', 'first', 'Query.events: first: cannot be combined with last; page forward with first/after or backward with last/before'],
    ['{ places(after: "bm9wZQ") { totalCount } }', 'after', 'after: "bm9wZQ" is not a cursor this server issued for this list; use a cursor from this list\'s edges or pageInfo'],
    ['{ events(filter: { places: ["atlantis"] }) { totalCount } }', 'filter.places', 'filter.places: unknown place slug "atlantis"; the places query lists them'],
    ['{ events(filter: { actors: ["nobody"] }) { totalCount } }', 'filter.actors', 'filter.actors: unknown actor slug "nobody"; the actors query lists them'],
    ['{ events(filter: { from: "2012-11-05", to: "2012-11-04" }) { totalCount } }', 'filter.from', 'filter.from: 2012-11-05 is after filter.to 2012-11-04; from must be on or before to'],
    ['{ timeline(from: "2010-01-01", to: "2012-12-31") { date } }', 'from', 'from: the timeline from 2010-01-01 to 2012-12-31 covers 1096 days, more than the 366 one call returns; narrow from/to'],
  ])('%s', async (query, argument, message) => {
    expect(await userError(query)).toEqual({ argument, message });
  });

  it('rejects a date that is not a calendar date before running anything', async () => {
    const { status, body } = await server.graphql('{ events(filter: { from: "2012-02-30" }) { totalCount } }');
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors?.[0].message).toContain('2012-02-30');
  });

  it('explains a bad variable', async () => {
    const { status, body } = await server.graphql('query($n: Int) { events(first: $n) { totalCount } }', { n: 'ten' });
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0].message).toContain('$n');
  });
});
