/**
 * Every mutation through the real HTTP server over a copy of the default data in a temporary folder (the folder is
 * the store): the happy path, each kind of refusal with nothing changed, two editors racing, and what the readers see.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import pino from 'pino';
import { startEditingServer, type EditingTestServer } from '../../test-support/editing-server';

const NEW_EVENT = {
  slug: 'aleppo-shelling',
  title: 'Shelling in Aleppo',
  summary: 'A test event.',
  category: 'ARMED_CLASH',
  date: '2012-11-06',
  precision: 'DAY',
  place: 'syria',
  sources: [{ source: 'rferl', claim: 'Reported it.' }],
};
const EVENT_ANSWER = 'event { slug title revision updatedAt status retraction { editor reason } } userErrors { field message code }';
const CREATE = `mutation C($event: EventInput!) { createEvent(input: { event: $event, note: "First report" }) { ${EVENT_ANSWER} } }`;
const UPDATE = `mutation U($slug: String!, $rev: Int!, $patch: EventPatch!) { updateEvent(input: { slug: $slug, expectedRevision: $rev, patch: $patch, note: "Revised" }) { ${EVENT_ANSWER} } }`;
const RETRACT = `mutation R($slug: String!, $rev: Int!) { retractEvent(input: { slug: $slug, expectedRevision: $rev, reason: "Not confirmed" }) { ${EVENT_ANSWER} } }`;
const RESTORE = `mutation S($slug: String!, $rev: Int!) { restoreEvent(input: { slug: $slug, expectedRevision: $rev, note: "Confirmed after all" }) { ${EVENT_ANSWER} } }`;

let s: EditingTestServer;

/** The files of the data folder with their contents, to show that a refused mutation changed nothing. */
function folder(): Record<string, string> {
  return Object.fromEntries(
    readdirSync(s.dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const file = path.join(e.parentPath, e.name);
        return [path.relative(s.dir, file), readFileSync(file, 'utf8')];
      }),
  );
}

/** Runs `mutation` expecting refusal; asserts that neither the folder nor the data version moved. */
async function refused(query: string, variables: Record<string, unknown>) {
  const [files, version] = [folder(), s.store.version];
  const { status, body } = await s.edit(query, variables);
  expect([folder(), s.store.version]).toEqual([files, version]);
  expect(status).toBe(200);
  const payload = Object.values(body.data ?? {})[0] as { userErrors: unknown[] } & Record<string, unknown>;
  return payload;
}

beforeEach(async () => {
  s = await startEditingServer();
});
afterEach(() => s.stop());

describe('createEvent', () => {
  it('adds the event at revision 1, writes its file as people write them, and serves it', async () => {
    const { body } = await s.edit(CREATE, { event: NEW_EVENT });
    expect(body.data).toEqual({
      createEvent: { event: { slug: 'aleppo-shelling', title: 'Shelling in Aleppo', revision: 1, updatedAt: expect.any(String), status: 'PUBLISHED', retraction: null }, userErrors: [] },
    });
    const text = readFileSync(path.join(s.dir, '2012-11-06-aleppo-shelling.json'), 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual(['{', '  "$schema": "./schema/event.schema.json",', '  "slug": "aleppo-shelling",']);
    expect(text.endsWith('}\n')).toBe(true);
    const read = await s.graphql('{ event(slug: "aleppo-shelling") { title place { slug } } events(filter: { from: "2012-11-06" }) { totalCount nodes { slug } } }');
    expect(read.body.data).toEqual({ event: { title: 'Shelling in Aleppo', place: { slug: 'syria' } }, events: { totalCount: 1, nodes: [{ slug: 'aleppo-shelling' }] } });
  });

  it.each([
    ['a slug that is taken', { ...NEW_EVENT, slug: 'idlib-air-strike' }, [{ field: ['event', 'slug'], code: 'DUPLICATE_SLUG' }]],
    ['an unknown place', { ...NEW_EVENT, place: 'atlantis' }, [{ field: ['event', 'place'], code: 'UNKNOWN_REFERENCE' }]],
    ['an unknown source', { ...NEW_EVENT, sources: [{ source: 'nobody' }] }, [{ field: ['event', 'sources', '0', 'source'], code: 'UNKNOWN_REFERENCE' }]],
    ['an unknown related event', { ...NEW_EVENT, related: ['no-such-event'] }, [{ field: ['event', 'related', '0'], code: 'UNKNOWN_REFERENCE' }]],
    ['a bad slug', { ...NEW_EVENT, slug: 'Not A Slug' }, [{ field: ['event', 'slug'], code: 'INVALID' }]],
    ['an end before the start', { ...NEW_EVENT, endDate: '2012-11-01' }, [{ field: ['event', 'endDate'], code: 'INVALID' }]],
  ])('refuses %s, changing nothing', async (_name, event, expected) => {
    const payload = await refused(CREATE, { event });
    expect(payload.event).toBeNull();
    expect((payload.userErrors as { field: string[]; code: string }[]).map(({ field, code }) => ({ field, code }))).toEqual(expected);
  });

  it('words a problem as the loader does for files', async () => {
    const payload = await refused(CREATE, { event: { ...NEW_EVENT, date: '2012-02-30' } });
    expect(payload.userErrors).toEqual([{ field: ['event', 'date'], message: expect.stringMatching(/^date: /), code: 'INVALID' }]);
  });
});

describe('updateEvent', () => {
  it('changes the fields given, keeps the others, and makes revision 2', async () => {
    const { body } = await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'Air strike in Idlib', casualties: [] } });
    expect(body.data!.updateEvent).toEqual({
      event: { slug: 'idlib-air-strike', title: 'Air strike in Idlib', revision: 2, updatedAt: expect.any(String), status: 'PUBLISHED', retraction: null },
      userErrors: [],
    });
    const read = await s.graphql('{ event(slug: "idlib-air-strike") { title category casualties { count } } }');
    expect(read.body.data).toEqual({ event: { title: 'Air strike in Idlib', category: 'AIR_STRIKE', casualties: [] } });
    const file = JSON.parse(readFileSync(path.join(s.dir, '2012-11-05-idlib-air-strike.json'), 'utf8')) as Record<string, unknown>;
    expect([file.title, file.category, file.casualties ?? []]).toEqual(['Air strike in Idlib', 'AIR_STRIKE', []]);
  });

  it('refuses a stale expectedRevision, giving the current one', async () => {
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'First' } });
    const payload = await refused(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'Second' } });
    expect(payload).toEqual({ event: null, userErrors: [{ field: ['expectedRevision'], message: expect.stringContaining('is at revision 2, not 1'), code: 'STALE_REVISION' }] });
  });

  it('refuses an event that does not exist', async () => {
    const payload = await refused(UPDATE, { slug: 'no-such-event', rev: 1, patch: { title: 'x' } });
    expect((payload.userErrors as { code: string }[]).map((e) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('reports a bad patch with the path in the input', async () => {
    const patch = { casualties: [{ kind: 'KILLED', count: -3, qualifier: 'AT_LEAST', victims: 'x', reportedBy: 'rferl' }] };
    const payload = await refused(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch });
    expect(payload.userErrors).toEqual([{ field: ['patch', 'casualties', '0', 'count'], message: 'casualties[0].count: must be a number >= 0, got -3', code: 'INVALID' }]);
  });

  it('lets exactly one of two editors racing on the same revision win', async () => {
    const [a, b] = await Promise.all([
      s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'From A' } }),
      s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'From B' } }),
    ]);
    const outcomes = [a, b].map((r) => (r.body.data!.updateEvent as { event: { title: string } | null; userErrors: { code: string }[] }));
    expect(outcomes.map((o) => (o.event ? 'won' : o.userErrors[0].code)).sort()).toEqual(['STALE_REVISION', 'won']);
    const winner = outcomes.find((o) => o.event)!.event!.title;
    expect((await s.graphql('{ event(slug: "idlib-air-strike") { title revision } }')).body.data).toEqual({ event: { title: winner, revision: 2 } });
  });
});

describe('retractEvent and restoreEvent', () => {
  it('take the event out of every list and count but not out of reach, and put it back', async () => {
    const LISTS = `{ events { totalCount } all: events(filter: { includeRetracted: true }) { totalCount }
      timeline(from: "2012-11-05", to: "2012-11-05") { eventCount } eventCounts(filter: { from: "2012-11-05", to: "2012-11-05" }) { count }
      place(slug: "idlib-province") { events { totalCount } } event(slug: "idlib-air-strike") { status retraction { editor reason } } }`;
    const before = await s.graphql(LISTS);
    expect(before.body.data).toMatchObject({ events: { totalCount: 7 }, all: { totalCount: 7 }, timeline: [{ eventCount: 4 }], eventCounts: [{ count: 4 }], place: { events: { totalCount: 1 } } });

    const retracted = await s.edit(RETRACT, { slug: 'idlib-air-strike', rev: 1 });
    expect(retracted.body.data!.retractEvent).toEqual({
      event: { slug: 'idlib-air-strike', title: expect.any(String), revision: 2, updatedAt: expect.any(String), status: 'RETRACTED', retraction: { editor: 'Night desk', reason: 'Not confirmed' } },
      userErrors: [],
    });
    expect((await s.graphql(LISTS)).body.data).toEqual({
      events: { totalCount: 6 },
      all: { totalCount: 7 },
      timeline: [{ eventCount: 3 }],
      eventCounts: [{ count: 3 }],
      place: { events: { totalCount: 0 } },
      event: { status: 'RETRACTED', retraction: { editor: 'Night desk', reason: 'Not confirmed' } },
    });
    const exported = (await (await fetch(s.url.replace('/graphql', '/exports/events.geojson'))).json()) as { features: unknown[] };
    const exportedAll = (await (await fetch(s.url.replace('/graphql', '/exports/events.geojson?includeRetracted=true'))).json()) as { features: unknown[] };
    expect([exported.features.length, exportedAll.features.length]).toEqual([6, 7]);

    const again = await refused(RETRACT, { slug: 'idlib-air-strike', rev: 2 });
    expect((again.userErrors as { code: string }[]).map((e) => e.code)).toEqual(['INVALID']);

    const restored = await s.edit(RESTORE, { slug: 'idlib-air-strike', rev: 2 });
    expect(restored.body.data!.restoreEvent).toMatchObject({ event: { revision: 3, status: 'PUBLISHED', retraction: null }, userErrors: [] });
    expect((await s.graphql(LISTS)).body.data).toEqual(before.body.data);
  });
});

describe('savePlace, saveActor and saveSource', () => {
  const PLACE = 'mutation P($place: PlaceInput!, $rev: Int) { savePlace(input: { place: $place, expectedRevision: $rev }) { place { slug name revision parent { slug } timeZone } userErrors { field message code } } }';
  const ACTOR = 'mutation A($actor: ActorInput!, $rev: Int) { saveActor(input: { actor: $actor, expectedRevision: $rev }) { actor { slug name revision affiliation { slug } } userErrors { field code } } }';
  const SOURCE = 'mutation S($source: SourceInput!, $rev: Int) { saveSource(input: { source: $source, expectedRevision: $rev }) { source { slug name revision url } userErrors { field code } } }';

  it('create a record without expectedRevision and replace it with one', async () => {
    const created = await s.edit(PLACE, { place: { slug: 'aleppo', name: 'Aleppo', kind: 'CITY', parent: 'syria' } });
    expect(created.body.data).toEqual({ savePlace: { place: { slug: 'aleppo', name: 'Aleppo', revision: 1, parent: { slug: 'syria' }, timeZone: 'Asia/Damascus' }, userErrors: [] } });
    const updated = await s.edit(PLACE, { place: { slug: 'aleppo', name: 'Aleppo city', kind: 'CITY', parent: 'syria' }, rev: 1 });
    expect(updated.body.data).toEqual({ savePlace: { place: { slug: 'aleppo', name: 'Aleppo city', revision: 2, parent: { slug: 'syria' }, timeZone: 'Asia/Damascus' }, userErrors: [] } });
    const actor = await s.edit(ACTOR, { actor: { slug: 'aleppo-council', name: 'Aleppo council', kind: 'ORGANIZATION' } });
    expect(actor.body.data).toEqual({ saveActor: { actor: { slug: 'aleppo-council', name: 'Aleppo council', revision: 1, affiliation: null }, userErrors: [] } });
    const source = await s.edit(SOURCE, { source: { slug: 'rferl', name: 'RFE/RL', kind: 'NEWS_OUTLET', url: 'https://www.rferl.org/' }, rev: 1 });
    expect(source.body.data).toEqual({ saveSource: { source: { slug: 'rferl', name: 'RFE/RL', revision: 2, url: 'https://www.rferl.org/' }, userErrors: [] } });
  });

  it('refuse a parent that would make a cycle, an unknown affiliation, a taken slug and a stale revision', async () => {
    const cycle = await refused(PLACE, { place: { slug: 'syria', name: 'Syria', kind: 'COUNTRY', parent: 'damascus' }, rev: 1 });
    expect(cycle.userErrors).toEqual([{ field: ['place', 'parent'], message: expect.stringContaining('is a cycle'), code: 'INVALID' }]);
    const unknown = await refused(ACTOR, { actor: { slug: 'x-group', name: 'X', kind: 'ARMED_GROUP', affiliation: 'nobody' } });
    expect(unknown.userErrors).toEqual([{ field: ['actor', 'affiliation'], code: 'UNKNOWN_REFERENCE' }]);
    const taken = await refused(SOURCE, { source: { slug: 'rferl', name: 'RFE/RL', kind: 'NEWS_OUTLET' } });
    expect((taken.userErrors as { code: string }[]).map((e) => e.code)).toEqual(['DUPLICATE_SLUG']);
    const stale = await refused(SOURCE, { source: { slug: 'rferl', name: 'RFE/RL', kind: 'NEWS_OUTLET' }, rev: 7 });
    expect((stale.userErrors as { code: string }[]).map((e) => e.code)).toEqual(['STALE_REVISION']);
  });
});

describe('what readers see after a change', () => {
  it('no cached answer, ETag or fast-path answer from before a change is served after it', async () => {
    const QUERY = '{ event(slug: "idlib-air-strike") { title revision } }';
    for (let i = 0; i < 3; i++) await s.graphql(QUERY); // learned by the fast path and cached
    const get = () => fetch(`${s.url}?query=${encodeURIComponent(QUERY)}`, { headers: { 'apollo-require-preflight': 'true' } });
    const tag = (await get()).headers.get('etag')!;
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'Changed' } });
    expect((await s.graphql(QUERY)).body.data).toEqual({ event: { title: 'Changed', revision: 2 } });
    const conditional = await fetch(`${s.url}?query=${encodeURIComponent(QUERY)}`, { headers: { 'apollo-require-preflight': 'true', 'if-none-match': tag } });
    expect(conditional.status).toBe(200);
    expect(conditional.headers.get('etag')).not.toBe(tag);
    expect(((await conditional.json()) as { data: unknown }).data).toEqual({ event: { title: 'Changed', revision: 2 } });
  });

  it('keeps every change across a restart', async () => {
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'Before restart' } });
    await s.stopKeepingData();
    const again = await startEditingServer({ dir: s.dir, editorsFile: s.editorsFile, token: s.token });
    try {
      expect((await again.graphql('{ event(slug: "idlib-air-strike") { title revision } }')).body.data).toEqual({ event: { title: 'Before restart', revision: 2 } });
      const next = await again.edit(UPDATE, { slug: 'idlib-air-strike', rev: 2, patch: { title: 'After restart' } });
      expect(next.body.data!.updateEvent).toMatchObject({ event: { title: 'After restart', revision: 3 }, userErrors: [] });
    } finally {
      await again.stopKeepingData();
      rmSync(path.dirname(s.dir), { recursive: true, force: true }); // the first server's copy of the data
      s = await startEditingServer(); // afterEach stops a server
    }
  });
});

describe('revisions and the change feed', () => {
  const FEED = 'query F($after: String) { changes(first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { kind editor revision note changedFields entity { __typename ... on Event { slug status } ... on Place { slug } } } } }';
  const REVISIONS = '{ event(slug: "idlib-air-strike") { revision revisions { totalCount nodes { revision editor kind note changedFields before after } } } }';

  it('start empty, with revision 1 of every record as loaded', async () => {
    expect((await s.graphql(FEED)).body.data).toEqual({ changes: { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] } });
    const { body } = await s.graphql(REVISIONS);
    const file = JSON.parse(readFileSync(path.join(s.dir, '2012-11-05-idlib-air-strike.json'), 'utf8')) as Record<string, unknown>;
    delete file.$schema;
    expect(body.data).toEqual({
      event: { revision: 1, revisions: { totalCount: 1, nodes: [{ revision: 1, editor: 'files', kind: 'CREATED', note: null, changedFields: Object.keys(file), before: null, after: file }] } },
    });
  });

  it('number every change in commit order, page after a cursor, and keep each record\'s revisions with before and after', async () => {
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'Air strike in Idlib' } });
    await s.edit('mutation { savePlace(input: { place: { slug: "aleppo", name: "Aleppo", kind: CITY, parent: "syria" } }) { userErrors { code } } }');
    await s.edit(RETRACT, { slug: 'idlib-air-strike', rev: 2 });
    const all = (await s.graphql(FEED)).body.data!.changes;
    expect(all).toEqual({
      totalCount: 3,
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
      nodes: [
        { kind: 'UPDATED', editor: 'Night desk', revision: 2, note: 'Revised', changedFields: ['title'], entity: { __typename: 'Event', slug: 'idlib-air-strike', status: 'RETRACTED' } },
        { kind: 'CREATED', editor: 'Night desk', revision: 1, note: null, changedFields: ['slug', 'name', 'kind', 'parent'], entity: { __typename: 'Place', slug: 'aleppo' } },
        { kind: 'RETRACTED', editor: 'Night desk', revision: 3, note: 'Not confirmed', changedFields: ['retraction'], entity: { __typename: 'Event', slug: 'idlib-air-strike', status: 'RETRACTED' } },
      ],
    });
    const first = (await s.graphql('{ changes(first: 1) { pageInfo { hasNextPage endCursor } } }')).body.data!.changes.pageInfo;
    expect(first.hasNextPage).toBe(true);
    const rest = (await s.graphql(FEED, { after: first.endCursor })).body.data!.changes;
    expect(rest.nodes.map((n: { kind: string }) => n.kind)).toEqual(['CREATED', 'RETRACTED']);

    const revisions = (await s.graphql(REVISIONS)).body.data!.event.revisions;
    expect(revisions.nodes.map((r: { revision: number; kind: string; changedFields: string[] }) => [r.revision, r.kind, r.changedFields])).toEqual([
      [1, 'CREATED', expect.arrayContaining(['slug', 'title'])],
      [2, 'UPDATED', ['title']],
      [3, 'RETRACTED', ['retraction']],
    ]);
    expect([revisions.nodes[1].before.title, revisions.nodes[1].after.title]).toEqual(['Air strike kills rebel fighters in Idlib Province', 'Air strike in Idlib']);
    expect(revisions.nodes[2].after.retraction).toEqual({ at: expect.any(String), editor: 'Night desk', reason: 'Not confirmed' });
  });

  it('after a restart, changes(after:) gives exactly the changes a client has not seen', async () => {
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 1, patch: { title: 'One' } });
    const seen = (await s.graphql('{ changes { pageInfo { endCursor } } }')).body.data!.changes.pageInfo.endCursor as string;
    await s.edit(UPDATE, { slug: 'idlib-air-strike', rev: 2, patch: { title: 'Two' } });
    await s.stopKeepingData();
    const again = await startEditingServer({ dir: s.dir, editorsFile: s.editorsFile, token: s.token });
    try {
      await again.edit(UPDATE, { slug: 'idlib-air-strike', rev: 3, patch: { title: 'Three' } });
      const unseen = (await again.graphql(FEED, { after: seen })).body.data!.changes;
      expect(unseen.nodes.map((n: { revision: number }) => n.revision)).toEqual([3, 4]);
      expect(unseen.totalCount).toBe(3);
    } finally {
      await again.stopKeepingData();
      rmSync(path.dirname(s.dir), { recursive: true, force: true }); // the first server's copy of the data
      s = await startEditingServer();
    }
  });

  it('refuses a cursor it did not issue', async () => {
    const { body } = await s.graphql(FEED, { after: 'bm90LWEtY3Vyc29y' });
    expect(body.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'after: "bm90LWEtY3Vyc29y" is not a cursor this server issued for this list; use a cursor from this list\'s edges or pageInfo']]);
  });
});

describe('hand edits of the folder while serving', () => {
  it('turns a good edit into a change by "files" and refuses a bad one, serving what it had', async () => {
    await s.stop();
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    s = await startEditingServer({ watch: true, logger });
    const file = path.join(s.dir, '2012-11-05-idlib-air-strike.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Air strike kills rebel fighters in Idlib Province"', '"Edited by hand"'));
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 50 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
    };
    const title = async () => ((await s.graphql('{ event(slug: "idlib-air-strike") { title revision } }')).body.data!.event as { title: string; revision: number });
    await until(async () => (await title()).title === 'Edited by hand');
    expect(await title()).toEqual({ title: 'Edited by hand', revision: 2 });
    expect((await s.graphql('{ changes { nodes { editor kind revision changedFields } } }')).body.data!.changes.nodes).toEqual([{ editor: 'files', kind: 'UPDATED', revision: 2, changedFields: ['title'] }]);

    writeFileSync(file, readFileSync(file, 'utf8').replace('"date": "2012-11-05"', '"date": "5 November"'));
    await until(async () => logged.some((l) => l.includes('5 November')));
    expect(logged.some((l) => l.includes('2012-11-05-idlib-air-strike.json') && l.includes('date'))).toBe(true);
    expect(await title()).toEqual({ title: 'Edited by hand', revision: 2 });
    expect((await s.graphql('{ changes { totalCount } }')).body.data!.changes.totalCount).toBe(1);
  });
});
