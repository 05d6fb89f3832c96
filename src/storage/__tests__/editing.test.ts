/** The editing service over the file storage and the store, wired as the server wires them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadDataset } from '../../data/load-dataset';
import { copyEvents, journalLines, makeRoot, removeRoot, serve, type Served } from './edit-harness';

const HAMA = 'hama-checkpoint-suicide-car-bombing';
const HAMA_FILE = `2012-11-05-${HAMA}.json`;
const NEW_EVENT = {
  slug: 'shelling-in-homs',
  title: 'Shelling in Homs',
  summary: 'Government forces shelled rebel-held districts.',
  category: 'ARMED_CLASH',
  date: '2012-11-05',
  precision: 'DAY',
  place: 'syria',
  casualties: [{ kind: 'KILLED', count: 3, qualifier: 'AT_LEAST', victims: 'civilians', reportedBy: 'syrian-observatory-for-human-rights', claim: null }],
  sources: [{ source: 'rferl', claim: null }],
  quotes: null,
};

let root: string;
let dir: string;
let s: Served;
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

beforeEach(async () => {
  root = makeRoot();
  dir = copyEvents(root);
  s = await serve(dir);
});
afterEach(async () => {
  await s.storage.close();
  removeRoot(root);
});

/** What must not move when a mutation is refused. */
function snapshot() {
  const files = Object.fromEntries(fs.readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => [n, read(n)]));
  return { files, journal: journalLines(dir).length, version: s.store.version, heard: s.heard.length };
}

describe('createEvent', () => {
  it('writes the event file as people write it, journals the change and serves the event at revision 1', async () => {
    const { record, userErrors } = await s.editing.createEvent('Night desk', { event: NEW_EVENT, note: 'From the wires' });
    expect(userErrors).toEqual([]);
    expect(record).toMatchObject({ slug: 'shelling-in-homs', revision: 1, status: 'PUBLISHED', timeZone: 'Asia/Damascus', displayDate: '5 November 2012' });
    expect(read('2012-11-05-shelling-in-homs.json')).toBe(
      `{\n  "$schema": "./schema/event.schema.json",\n  "slug": "shelling-in-homs",\n  "title": "Shelling in Homs",\n  "summary": "Government forces shelled rebel-held districts.",\n  "category": "ARMED_CLASH",\n  "date": "2012-11-05",\n  "precision": "DAY",\n  "place": "syria",\n  "casualties": [\n    {\n      "kind": "KILLED",\n      "count": 3,\n      "qualifier": "AT_LEAST",\n      "victims": "civilians",\n      "reportedBy": "syrian-observatory-for-human-rights"\n    }\n  ],\n  "sources": [\n    {\n      "source": "rferl"\n    }\n  ]\n}\n`,
    );
    const [{ change, file }] = journalLines(dir);
    expect(file).toBe('2012-11-05-shelling-in-homs.json');
    expect(change).toMatchObject({ seq: 1, editor: 'Night desk', kind: 'CREATED', entity: { type: 'Event', slug: 'shelling-in-homs' }, revision: 1, note: 'From the wires', before: null });
    expect(change.changedFields).toEqual(['slug', 'title', 'summary', 'category', 'date', 'precision', 'place', 'casualties', 'sources']);
    expect(s.store.event('shelling-in-homs')).toBe(record);
    expect(s.store.count({})).toBe(8);
    expect(s.heard).toEqual([change]);
    expect((await loadDataset(dir)).events).toHaveLength(8);
  });

  it('refuses every broken rule at once, with input paths and the loader\'s words, and changes nothing', async () => {
    const before = snapshot();
    const bad = { ...NEW_EVENT, place: 'atlantis', casualties: [{ ...NEW_EVENT.casualties[0], count: -1 }], precision: 'HOUR' };
    const { record, userErrors } = await s.editing.createEvent('Night desk', { event: bad });
    expect(record).toBeNull();
    expect(userErrors).toEqual([{ field: ['event', 'casualties', '0', 'count'], message: 'casualties[0].count: must be a number >= 0, got -1', code: 'INVALID' }]);
    const second = await s.editing.createEvent('Night desk', { event: { ...bad, casualties: null } });
    expect(second.userErrors).toEqual([
      { field: ['event', 'startsAt'], message: 'startsAt: is required when precision is HOUR', code: 'INVALID' },
      { field: ['event', 'place'], message: 'place: unknown place "atlantis"; expected the slug of a place in places.json', code: 'UNKNOWN_REFERENCE' },
    ]);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a slug that is taken with DUPLICATE_SLUG', async () => {
    const before = snapshot();
    const { userErrors } = await s.editing.createEvent('Night desk', { event: { ...NEW_EVENT, slug: HAMA } });
    expect(userErrors).toEqual([{ field: ['event', 'slug'], message: `"${HAMA}" is already the slug of an event; choose another slug, or update that event with its expectedRevision`, code: 'DUPLICATE_SLUG' }]);
    expect(snapshot()).toEqual(before);
  });
});

describe('updateEvent', () => {
  it('patches the fields given, keeps the others, and the git diff is just those lines', async () => {
    const original = read(HAMA_FILE);
    const patch = { casualties: [{ kind: 'KILLED', count: 55, qualifier: 'AT_LEAST', victims: 'Syrian government soldiers and fighters loyal to Assad', reportedBy: 'syrian-observatory-for-human-rights' }] };
    const { record, userErrors } = await s.editing.updateEvent('Night desk', { slug: HAMA, expectedRevision: 1, patch, note: 'Toll revised' });
    expect(userErrors).toEqual([]);
    expect(record).toMatchObject({ revision: 2, casualties: patch.casualties });
    expect(record!.updatedAt).toBe(journalLines(dir)[0].change.at);
    expect(read(HAMA_FILE)).toBe(original.replace('"count": 50', '"count": 55'));
    expect(journalLines(dir)[0].change).toMatchObject({ kind: 'UPDATED', revision: 2, changedFields: ['casualties'], note: 'Toll revised' });
  });

  it('removes an optional field given as null, and moves the file when the date changes', async () => {
    const { userErrors } = await s.editing.updateEvent('Night desk', { slug: HAMA, expectedRevision: 1, patch: { date: '2012-11-06', participants: null }, note: 'Redated' });
    expect(userErrors).toEqual([]);
    expect(fs.existsSync(path.join(dir, HAMA_FILE))).toBe(false);
    const moved = JSON.parse(read(`2012-11-06-${HAMA}.json`));
    expect(moved.date).toBe('2012-11-06');
    expect(moved.participants).toBeUndefined();
    expect(s.store.event(HAMA)!.date).toBe('2012-11-06');
    expect((await loadDataset(dir)).events.find((e) => e.slug === HAMA)!.date).toBe('2012-11-06');
  });

  it('answers STALE_REVISION with the current revision, and NOT_FOUND for an unknown slug', async () => {
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'First' }, note: 'n' });
    const before = snapshot();
    const stale = await s.editing.updateEvent('B', { slug: HAMA, expectedRevision: 1, patch: { title: 'Second' }, note: 'n' });
    expect(stale).toEqual({ record: null, userErrors: [{ field: ['expectedRevision'], message: `event "${HAMA}" is at revision 2, not 1; read it again and apply the change to revision 2`, code: 'STALE_REVISION' }] });
    const missing = await s.editing.updateEvent('B', { slug: 'nothing-here', expectedRevision: 1, patch: { title: 'x' }, note: 'n' });
    expect(missing.userErrors).toEqual([{ field: ['slug'], message: 'no event has the slug "nothing-here"; the events query lists them', code: 'NOT_FOUND' }]);
    expect(snapshot()).toEqual(before);
  });

  it('lets exactly one of two editors racing on the same revision win', async () => {
    const results = await Promise.all([
      s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'From A' }, note: 'a' }),
      s.editing.updateEvent('B', { slug: HAMA, expectedRevision: 1, patch: { title: 'From B' }, note: 'b' }),
    ]);
    expect(results.map((r) => r.userErrors.map((e) => e.code))).toEqual([[], ['STALE_REVISION']]);
    expect(s.store.event(HAMA)!.title).toBe('From A');
    expect(journalLines(dir)).toHaveLength(1);
  });

  it('starts no edit whose request may no longer edit when its turn comes (past its deadline): nothing changes', async () => {
    const before = snapshot();
    let deadlinePassed = false;
    const first = s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'From A' }, note: 'a' });
    // Waits behind the first; its request's deadline passes meanwhile.
    const late = s.editing.updateEvent({ name: 'B', mayStart: () => !deadlinePassed }, { slug: HAMA, expectedRevision: 2, patch: { title: 'From B' }, note: 'b' });
    deadlinePassed = true;
    expect((await first).userErrors).toEqual([]);
    expect(await late).toEqual({ record: null, userErrors: [] });
    expect(s.store.event(HAMA)).toMatchObject({ title: 'From A', revision: 2 });
    expect(journalLines(dir).length).toBe(before.journal + 1);
    // An edit that may start goes ahead as ever.
    const onTime = await s.editing.updateEvent({ name: 'B', mayStart: () => true }, { slug: HAMA, expectedRevision: 2, patch: { title: 'From B' }, note: 'b' });
    expect(onTime.record).toMatchObject({ title: 'From B', revision: 3 });
  });

  it('answers an empty patch, or one that changes nothing, with the record as it is: no revision, no change in the feed', async () => {
    const before = snapshot();
    const title = s.store.event(HAMA)!.title;
    const empty = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: {}, note: 'n' });
    const same = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title, participants: s.store.event(HAMA)!.participants }, note: 'n' });
    for (const result of [empty, same]) expect(result).toEqual({ record: s.store.event(HAMA), userErrors: [] });
    expect(empty.record).toMatchObject({ revision: 1, updatedAt: null, title });
    expect(snapshot()).toEqual(before);
    // A stale revision is still refused, even with nothing to change.
    expect((await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 2, patch: {}, note: 'n' })).userErrors.map((e) => e.code)).toEqual(['STALE_REVISION']);
  });

  it('gives every problem of the patched event with its path under patch', async () => {
    const { userErrors } = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { precision: 'PART_OF_DAY', related: ['no-such-event'], title: null }, note: 'n' });
    expect(userErrors).toEqual([{ field: ['patch', 'title'], message: 'title: is required', code: 'INVALID' }]);
    const again = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { precision: 'PART_OF_DAY', related: ['no-such-event'] }, note: 'n' });
    expect(again.userErrors).toEqual([
      { field: ['patch', 'partOfDay'], message: 'partOfDay: is required when precision is PART_OF_DAY', code: 'INVALID' },
      { field: ['patch', 'related', '0'], message: 'related[0]: unknown event "no-such-event"; expected the slug of an event in the data folder', code: 'UNKNOWN_REFERENCE' },
    ]);
  });
});

describe('retractEvent and restoreEvent', () => {
  it('keeps the retraction in the event file, hides the event from lists and brings it back', async () => {
    const at = new Date('2012-11-06T09:00:00Z');
    const retracted = await s.editing.retractEvent('Night desk', { slug: HAMA, expectedRevision: 1, reason: 'Report withdrawn' }, at);
    expect(retracted.record).toMatchObject({ status: 'RETRACTED', revision: 2, retraction: { at: '2012-11-06T09:00:00.000Z', editor: 'Night desk', reason: 'Report withdrawn' } });
    expect(JSON.parse(read(HAMA_FILE)).retraction).toEqual({ at: '2012-11-06T09:00:00.000Z', editor: 'Night desk', reason: 'Report withdrawn' });
    expect(s.store.count({})).toBe(6);
    expect(s.store.count({ includeRetracted: true })).toBe(7);
    expect((await loadDataset(dir)).events.find((e) => e.slug === HAMA)!.status).toBe('RETRACTED');
    const again = await s.editing.retractEvent('Night desk', { slug: HAMA, expectedRevision: 2, reason: 'x' });
    expect(again.userErrors.map((e) => e.code)).toEqual(['INVALID']);
    const restored = await s.editing.restoreEvent('Night desk', { slug: HAMA, expectedRevision: 2, note: 'Confirmed after all' });
    expect(restored.record).toMatchObject({ status: 'PUBLISHED', revision: 3, retraction: null });
    expect(JSON.parse(read(HAMA_FILE)).retraction).toBeUndefined();
    expect(s.store.count({})).toBe(7);
    expect(journalLines(dir).map((l) => [l.change.kind, l.change.note, l.change.changedFields])).toEqual([
      ['RETRACTED', 'Report withdrawn', ['retraction']],
      ['RESTORED', 'Confirmed after all', ['retraction']],
    ]);
  });
});

describe('savePlace, saveActor, saveSource', () => {
  it('creates a place and updates one; a new zone of a country moves its events\' zone', async () => {
    const created = await s.editing.savePlace('Desk', { record: { slug: 'homs', name: 'Homs', kind: 'CITY', parent: 'syria', latitude: null } });
    expect(created).toMatchObject({ userErrors: [], record: { slug: 'homs', ancestors: ['syria'], timeZone: 'Asia/Damascus', revision: 1 } });
    expect(JSON.parse(read('places.json')).places.at(-1)).toEqual({ slug: 'homs', name: 'Homs', kind: 'CITY', parent: 'syria' });
    const qatar = await s.editing.savePlace('Desk', { record: { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY', timeZone: 'Asia/Riyadh' }, expectedRevision: 1 });
    expect(qatar.record).toMatchObject({ timeZone: 'Asia/Riyadh', revision: 2 });
    const doha = s.store.all({ places: ['qatar'] });
    expect(doha.length).toBeGreaterThan(0);
    for (const e of doha) expect(e.timeZone).toBe('Asia/Riyadh');
    expect((await loadDataset(dir)).places.find((p) => p.slug === 'qatar')!.timeZone).toBe('Asia/Riyadh');
  });

  it('refuses a cycle (INVALID), an unknown parent (UNKNOWN_REFERENCE), a taken slug and a stale revision', async () => {
    const before = snapshot();
    const cycle = await s.editing.savePlace('Desk', { record: { slug: 'syria', name: 'Syria', kind: 'COUNTRY', parent: 'damascus', timeZone: 'Asia/Damascus' }, expectedRevision: 1 });
    expect(cycle.userErrors).toEqual([{ field: ['place', 'parent'], message: 'parent: "syria" -> "damascus" -> "syria" is a cycle; a place cannot lie inside itself', code: 'INVALID' }]);
    const unknown = await s.editing.savePlace('Desk', { record: { slug: 'homs', name: 'Homs', kind: 'CITY', parent: 'atlantis' } });
    expect(unknown.userErrors).toEqual([{ field: ['place', 'parent'], message: 'parent: unknown place "atlantis"; expected the slug of a place in places.json', code: 'UNKNOWN_REFERENCE' }]);
    const taken = await s.editing.savePlace('Desk', { record: { slug: 'syria', name: 'Syria', kind: 'COUNTRY' } });
    expect(taken.userErrors.map((e) => e.code)).toEqual(['DUPLICATE_SLUG']);
    const stale = await s.editing.saveActor('Desk', { record: { slug: 'russia', name: 'Russia', kind: 'STATE' }, expectedRevision: 4 });
    expect(stale.userErrors).toEqual([{ field: ['expectedRevision'], message: 'actor "russia" is at revision 1, not 4; read it again and apply the change to revision 1', code: 'STALE_REVISION' }]);
    const noZone = await s.editing.savePlace('Desk', { record: { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY' }, expectedRevision: 1 });
    expect(noZone.userErrors[0]).toMatchObject({ field: ['place', 'timeZone'], code: 'INVALID' });
    expect(snapshot()).toEqual(before);
  });

  it('saves actors and sources, checking affiliations as the loader does', async () => {
    const bad = await s.editing.saveActor('Desk', { record: { slug: 'hezbollah', name: 'Hezbollah', kind: 'ARMED_GROUP', affiliation: 'iranx' } });
    expect(bad.userErrors).toEqual([{ field: ['actor', 'affiliation'], message: 'affiliation: unknown actor "iranx"; expected the slug of an actor in actors.json', code: 'UNKNOWN_REFERENCE' }]);
    const good = await s.editing.saveActor('Desk', { record: { slug: 'hezbollah', name: 'Hezbollah', kind: 'ARMED_GROUP', affiliation: 'iran' } });
    expect(good.record).toMatchObject({ slug: 'hezbollah', affiliation: 'iran', revision: 1 });
    const source = await s.editing.saveSource('Desk', { record: { slug: 'rferl', name: 'Radio Free Europe/Radio Liberty', kind: 'NEWS_OUTLET' }, expectedRevision: 1, note: 'Full name' });
    expect(source.record).toMatchObject({ name: 'Radio Free Europe/Radio Liberty', revision: 2 });
    expect(s.store.source('rferl')!.name).toBe('Radio Free Europe/Radio Liberty');
    const loaded = await loadDataset(dir);
    expect(loaded.actors.find((a) => a.slug === 'hezbollah')).toBeDefined();
  });
});

describe('across a restart', () => {
  it('keeps revisions, retractions and every change', async () => {
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'Car bombing in Hama' }, note: 'n' });
    await s.editing.retractEvent('A', { slug: HAMA, expectedRevision: 2, reason: 'Withdrawn' });
    await s.editing.saveSource('A', { record: { slug: 'bbc', name: 'BBC', kind: 'NEWS_OUTLET' } });
    const committed = [...s.heard];
    await s.storage.close();
    s = await serve(dir);
    expect(s.opened).toEqual(committed);
    expect(s.store.event(HAMA)).toMatchObject({ revision: 3, status: 'RETRACTED', title: 'Car bombing in Hama', updatedAt: committed[1].at });
    expect(s.store.source('bbc')).toMatchObject({ revision: 1 });
    expect(s.store.event('idlib-air-strike')).toMatchObject({ revision: 1, updatedAt: null });
    const next = await s.editing.restoreEvent('A', { slug: HAMA, expectedRevision: 3, note: 'Back' });
    expect(next.record!.revision).toBe(4);
    expect(s.heard[0].seq).toBe(4);
  });
});
