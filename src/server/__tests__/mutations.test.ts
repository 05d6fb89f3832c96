/**
 * Every mutation through the real HTTP server over a copy of the default data in a temporary folder (the folder is
 * the store): the happy path, each kind of refusal with nothing changed, two editors racing, and what the readers see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
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
      s = await startEditingServer(); // afterEach stops a server; the first one's folder goes with this one's
    }
  });
});
