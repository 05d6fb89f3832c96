/** The folder as the store: recovery at start, hand edits while running and while stopped, NDJSON files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventFileText } from '../../../data/file-form';
import { copyEvents, journalLines, makeRoot, removeRoot, serve, type Served } from '../../__tests__/edit-harness';

const HAMA = 'hama-checkpoint-suicide-car-bombing';
const HAMA_FILE = `2012-11-05-${HAMA}.json`;
const IDLIB_FILE = '2012-11-05-idlib-air-strike.json';

let root: string;
let dir: string;
let s: Served;
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const record = (name: string) => {
  const { $schema: _s, ...rest } = JSON.parse(read(name));
  return rest;
};
/** Writes a file as an editor would (in place, not atomically). */
const handEdit = (name: string, edit: (r: Record<string, unknown>) => void) => {
  const r = record(name);
  edit(r);
  fs.writeFileSync(path.join(dir, name), eventFileText(r));
};
const until = async (test: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
};

beforeEach(() => {
  root = makeRoot();
  dir = copyEvents(root);
});
afterEach(async () => {
  await s?.storage.close();
  removeRoot(root);
});

describe('recovery at start', () => {
  it('cuts a torn last journal line, and keeps every whole one', async () => {
    s = await serve(dir);
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'One' }, note: 'n' });
    await s.storage.close();
    const journal = path.join(dir, 'history', 'journal.ndjson');
    fs.appendFileSync(journal, '{"change":{"seq":2,"at":"2012-');
    s = await serve(dir);
    expect(s.opened.map((c) => c.seq)).toEqual([1]);
    expect(s.logged).toEqual([expect.stringMatching(/^info: history\/journal.ndjson: cut a torn last line \(\d+ bytes\)/)]);
    expect(fs.readFileSync(journal, 'utf8').endsWith('}\n')).toBe(true);
    expect(s.store.event(HAMA)).toMatchObject({ title: 'One', revision: 2 });
  });

  it('finishes a change journaled but not yet written to its file, and removes stale temporary files', async () => {
    s = await serve(dir);
    const old = read(HAMA_FILE);
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'Journaled' }, note: 'n' });
    await s.storage.close();
    // As if the crash came between the journal and the file, before any checkpoint flushed the folder.
    fs.writeFileSync(path.join(dir, HAMA_FILE), old);
    const statePath = path.join(dir, 'history', 'state.json');
    fs.writeFileSync(statePath, JSON.stringify({ ...JSON.parse(fs.readFileSync(statePath, 'utf8')), checkpointSeq: 0 }));
    fs.writeFileSync(path.join(dir, `.${HAMA_FILE}.123.1.dateline-tmp`), '{ "torn": ');
    s = await serve(dir);
    expect(record(HAMA_FILE).title).toBe('Journaled');
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('dateline-tmp'))).toEqual([]);
    expect(s.store.event(HAMA)).toMatchObject({ title: 'Journaled', revision: 2 });
    expect(s.opened).toHaveLength(1);
  });

  it('removes an event\'s old file that a crash left beside its new one when its date moved it', async () => {
    s = await serve(dir);
    const old = read(HAMA_FILE);
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { date: '2012-11-06' }, note: 'Redated' });
    await s.storage.close();
    fs.writeFileSync(path.join(dir, HAMA_FILE), old);
    const statePath = path.join(dir, 'history', 'state.json');
    fs.writeFileSync(statePath, JSON.stringify({ ...JSON.parse(fs.readFileSync(statePath, 'utf8')), checkpointSeq: 0 }));
    s = await serve(dir);
    expect(fs.existsSync(path.join(dir, HAMA_FILE))).toBe(false);
    expect(record(`2012-11-06-${HAMA}.json`).date).toBe('2012-11-06');
    expect(s.store.event(HAMA)).toMatchObject({ date: '2012-11-06', revision: 2 });
  });

  it('refuses a journal damaged in the middle, naming the line', async () => {
    s = await serve(dir);
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'One' }, note: 'n' });
    await s.storage.close();
    const journal = path.join(dir, 'history', 'journal.ndjson');
    fs.writeFileSync(journal, `garbage\n${fs.readFileSync(journal, 'utf8')}`);
    await expect(serve(dir)).rejects.toThrow(/journal.ndjson:1: is not change 1 of the journal; the journal is damaged/);
    s = undefined as unknown as Served;
  });
});

describe('hand edits', () => {
  it('turns a good hand edit into a change by files, with the record before and after', async () => {
    s = await serve(dir, { watch: true, debounceMs: 50 });
    const before = record(HAMA_FILE);
    handEdit(HAMA_FILE, (r) => (r.title = 'Edited by hand'));
    await until(() => s.heard.length === 1);
    expect(s.heard[0]).toMatchObject({ seq: 1, editor: 'files', kind: 'UPDATED', revision: 2, changedFields: ['title'], before, after: { ...before, title: 'Edited by hand' } });
    expect(s.store.event(HAMA)).toMatchObject({ title: 'Edited by hand', revision: 2 });
    // An edit through the API next starts from the hand-edited revision.
    const next = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 2, patch: { summary: 'New summary.' }, note: 'n' });
    expect(next.record).toMatchObject({ title: 'Edited by hand', summary: 'New summary.', revision: 3 });
  });

  it('refuses a bad hand edit with every problem logged and keeps serving what it had', async () => {
    s = await serve(dir, { watch: true, debounceMs: 50 });
    const version = s.store.version;
    handEdit(HAMA_FILE, (r) => {
      r.place = 'atlantis';
      r.related = ['no-such-event'];
    });
    await until(() => s.logged.length >= 3).catch((err) => {
      throw new Error(`${err.message}: ${JSON.stringify(s.logged)}`);
    });
    expect(s.logged).toEqual([
      `warn: refused the hand edit of ${HAMA_FILE}; still serving what was there before. 2 problem(s):`,
      `warn: ${path.join(dir, HAMA_FILE)}: place: unknown place "atlantis"; expected the slug of a place in places.json`,
      `warn: ${path.join(dir, HAMA_FILE)}: related[0]: unknown event "no-such-event"; expected the slug of an event in the data folder`,
    ]);
    expect(s.heard).toEqual([]);
    expect(s.store.version).toBe(version);
    expect(s.store.event(HAMA)!.place).toBe('hama-province');
    expect(journalLines(dir)).toEqual([]);
    // Once the file is put right, the edit is picked up.
    handEdit(HAMA_FILE, (r) => {
      r.place = 'syria';
      delete r.related;
    });
    await until(() => s.heard.length === 1);
    expect(s.heard[0]).toMatchObject({ editor: 'files', kind: 'UPDATED', changedFields: ['place'], revision: 2 });
    expect(s.store.event(HAMA)!.place).toBe('syria');
  });

  it('finds changes made while stopped at the next start: an edit, a new file and a retraction', async () => {
    s = await serve(dir);
    await s.storage.close();
    handEdit(HAMA_FILE, (r) => (r.title = 'Edited while stopped'));
    handEdit(IDLIB_FILE, (r) => (r.retraction = { at: '2012-11-06T09:00:00Z', editor: 'Night desk', reason: 'Withdrawn' }));
    const created = { ...record(HAMA_FILE), slug: 'second-bombing', title: 'Second bombing' };
    fs.writeFileSync(path.join(dir, '2012-11-05-second-bombing.json'), eventFileText(created));
    s = await serve(dir);
    expect(s.opened.map((c) => [c.seq, c.editor, c.kind, c.entity.slug, c.revision])).toEqual([
      [1, 'files', 'UPDATED', HAMA, 2],
      [2, 'files', 'RETRACTED', 'idlib-air-strike', 2],
      [3, 'files', 'CREATED', 'second-bombing', 1],
    ]);
    expect(s.store.event(HAMA)).toMatchObject({ title: 'Edited while stopped', revision: 2, updatedAt: s.opened[0].at });
    expect(s.store.event('idlib-air-strike')!.status).toBe('RETRACTED');
    await s.storage.close();
    s = await serve(dir);
    expect(s.opened).toHaveLength(3);
  });
});

describe('events in NDJSON files', () => {
  it('replaces the event\'s line in its NDJSON file and leaves the other lines as they were', async () => {
    const lines = [record(HAMA_FILE), record(IDLIB_FILE)].map((r) => JSON.stringify(r));
    fs.writeFileSync(path.join(dir, 'bulk.ndjson'), `${lines.join('\n')}\n`);
    fs.rmSync(path.join(dir, HAMA_FILE));
    fs.rmSync(path.join(dir, IDLIB_FILE));
    s = await serve(dir);
    const { record: updated } = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'In bulk' }, note: 'n' });
    expect(updated).toMatchObject({ title: 'In bulk', revision: 2 });
    const after = read('bulk.ndjson').split('\n');
    expect(after).toHaveLength(3);
    expect(JSON.parse(after[0]).title).toBe('In bulk');
    expect(after[1]).toBe(lines[1]);
    expect(fs.readdirSync(dir).filter((n) => n.includes(HAMA))).toEqual([]);
  });
});
