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
  let lines: string[];
  const bulk = () => read('bulk.ndjson').split('\n');
  const statePath = () => path.join(dir, 'history', 'state.json');
  /** Moves the Hama and Idlib events into one bulk file, as a generated data set holds its events. */
  beforeEach(() => {
    lines = [record(HAMA_FILE), record(IDLIB_FILE)].map((r) => JSON.stringify(r));
    fs.writeFileSync(path.join(dir, 'bulk.ndjson'), `${lines.join('\n')}\n`);
    fs.rmSync(path.join(dir, HAMA_FILE));
    fs.rmSync(path.join(dir, IDLIB_FILE));
  });

  it('acknowledges an edit once journaled and writes every pending line of the file in one rewrite later', async () => {
    s = await serve(dir, { bulkQuietMs: 60_000 });
    const original = read('bulk.ndjson');
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'In bulk' }, note: 'n' });
    const { record: updated } = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 2, patch: { title: 'In bulk, again' }, note: 'n' });
    await s.editing.updateEvent('A', { slug: 'idlib-air-strike', expectedRevision: 1, patch: { title: 'Idlib, edited' }, note: 'n' });
    expect(updated).toMatchObject({ title: 'In bulk, again', revision: 3 });
    expect(journalLines(dir).map((l) => l.file)).toEqual(['bulk.ndjson', 'bulk.ndjson', 'bulk.ndjson']);
    // Not written yet; what an edit starts from is already the journal's.
    expect(read('bulk.ndjson')).toBe(original);
    expect(await s.storage.fileForm('Event', HAMA)).toMatchObject({ title: 'In bulk, again' });
    const rewrites = jest.spyOn(fs.promises, 'rename');
    await s.storage.close();
    expect(rewrites.mock.calls.filter(([, to]) => String(to).endsWith('bulk.ndjson'))).toHaveLength(1);
    rewrites.mockRestore();
    expect(bulk()).toEqual([JSON.stringify({ ...JSON.parse(lines[0]), title: 'In bulk, again' }), JSON.stringify({ ...JSON.parse(lines[1]), title: 'Idlib, edited' }), '']);
    expect(JSON.parse(fs.readFileSync(statePath(), 'utf8')).checkpointSeq).toBe(3);
    expect(fs.readdirSync(dir).filter((n) => n.includes(HAMA) || n.endsWith('dateline-tmp'))).toEqual([]);
    s = await serve(dir);
    expect(s.opened).toHaveLength(3);
    expect(s.logged).toEqual([]);
  });

  it('never checkpoints past a line not written yet: a crash before the rewrite is rolled forward at start', async () => {
    s = await serve(dir, { bulkQuietMs: 60_000 });
    const saved = fs.statSync(statePath()).mtimeMs;
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'Journaled only' }, note: 'n' });
    await until(() => fs.statSync(statePath()).mtimeMs !== saved);
    expect(JSON.parse(fs.readFileSync(statePath(), 'utf8')).checkpointSeq).toBe(0);
    // The folder as a crash would leave it now: the journal has the change, the bulk file does not.
    const crashed = path.join(root, 'crashed');
    fs.cpSync(dir, crashed, { recursive: true });
    expect(fs.readFileSync(path.join(crashed, 'bulk.ndjson'), 'utf8')).toBe(`${lines.join('\n')}\n`);
    const after = await serve(crashed);
    try {
      expect(after.store.event(HAMA)).toMatchObject({ title: 'Journaled only', revision: 2 });
      expect(fs.readFileSync(path.join(crashed, 'bulk.ndjson'), 'utf8').split('\n')[0]).toBe(JSON.stringify({ ...JSON.parse(lines[0]), title: 'Journaled only' }));
      expect(after.logged).toEqual([`info: bulk.ndjson: wrote the journaled line(s) of ${HAMA}, which a crash had left out of the file`]);
      expect(after.opened).toHaveLength(1);
    } finally {
      await after.storage.close();
    }
  });

  it('keeps lines committed while their file is being rewritten pending for the next rewrite', async () => {
    s = await serve(dir, { bulkQuietMs: 0 });
    const slugs = [HAMA, 'idlib-air-strike'];
    // Each commit lets a rewrite start, so later commits land while one is under way.
    for (let i = 0; i < 30; i++) {
      const slug = slugs[i % 2];
      const { record } = await s.editing.updateEvent('A', { slug, expectedRevision: s.store.event(slug)!.revision, patch: { title: `Take ${i}` }, note: 'n' });
      expect(record!.title).toBe(`Take ${i}`);
    }
    await s.storage.close();
    expect(bulk().map((l) => l && JSON.parse(l).title)).toEqual(['Take 28', 'Take 29', '']);
    s = await serve(dir);
    expect(s.logged).toEqual([]);
    expect(s.opened).toHaveLength(30);
    expect(JSON.parse(fs.readFileSync(statePath(), 'utf8')).checkpointSeq).toBe(30);
  });

  it('does not take its own background rewrite for a hand edit', async () => {
    s = await serve(dir, { bulkQuietMs: 0 });
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'Rewritten soon' }, note: 'n' });
    await until(() => bulk()[0].includes('Rewritten soon'));
    expect(await s.storage.rescan()).toEqual([]);
    expect(s.heard.map((c) => c.editor)).toEqual(['A']);
    // The rewrite copied the other line byte for byte and moved its offset: it is still read alone.
    expect(bulk()[1]).toBe(lines[1]);
    const reads = jest.spyOn(fs.promises, 'readFile');
    expect(await s.storage.fileForm('Event', 'idlib-air-strike')).toEqual(JSON.parse(lines[1]));
    expect(reads.mock.calls.filter(([file]) => String(file).endsWith('bulk.ndjson'))).toEqual([]);
    reads.mockRestore();
  });

  it('keeps a hand edit of another line made while a rewrite is pending, and writes the pending line after it', async () => {
    s = await serve(dir, { bulkQuietMs: 60_000 });
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'From the API' }, note: 'n' });
    fs.writeFileSync(path.join(dir, 'bulk.ndjson'), `${lines[0]}\n${JSON.stringify({ ...JSON.parse(lines[1]), title: 'Idlib by hand' })}\n`);
    const found = await s.storage.rescan();
    expect(found.map((c) => [c.editor, c.entity.slug, c.revision, c.changedFields])).toEqual([['files', 'idlib-air-strike', 2, ['title']]]);
    await s.storage.close();
    expect(bulk().map((l) => l && JSON.parse(l).title)).toEqual(['From the API', 'Idlib by hand', '']);
    s = await serve(dir);
    expect(s.opened.map((c) => [c.editor, c.entity.slug])).toEqual([['A', HAMA], ['files', 'idlib-air-strike']]);
    expect(s.store.event(HAMA)!.title).toBe('From the API');
  });

  it('lets a hand edit of the pending line itself win as the next revision, and a commit picks it up first', async () => {
    s = await serve(dir, { bulkQuietMs: 60_000 });
    await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'From the API' }, note: 'n' });
    fs.writeFileSync(path.join(dir, 'bulk.ndjson'), `${JSON.stringify({ ...JSON.parse(lines[0]), title: 'By hand' })}\n${lines[1]}\n`);
    // The commit finds the hand edit first: it is revision 3, so the editor's revision 2 is stale.
    const stale = await s.editing.updateEvent('B', { slug: HAMA, expectedRevision: 2, patch: { summary: 'Too late.' }, note: 'n' });
    expect(stale.userErrors.map((e) => e.code)).toEqual(['STALE_REVISION']);
    expect(s.heard.map((c) => [c.editor, c.revision, c.before!.title, c.after.title])).toEqual([
      ['A', 2, JSON.parse(lines[0]).title, 'From the API'],
      ['files', 3, 'From the API', 'By hand'],
    ]);
    await s.storage.close();
    expect(JSON.parse(bulk()[0]).title).toBe('By hand');
    s = await serve(dir);
    expect(s.store.event(HAMA)).toMatchObject({ title: 'By hand', revision: 3 });
    expect(s.opened).toHaveLength(2);
  });

  it('reads a bulk event from its line alone, and finds it again when a hand edit moved the lines', async () => {
    s = await serve(dir);
    const reads = jest.spyOn(fs.promises, 'readFile');
    expect(await s.storage.fileForm('Event', 'idlib-air-strike')).toEqual(JSON.parse(lines[1]));
    expect(reads.mock.calls.filter(([file]) => String(file).endsWith('bulk.ndjson'))).toEqual([]);
    reads.mockRestore();
    fs.writeFileSync(path.join(dir, 'bulk.ndjson'), `${lines[1]}\n\n${lines[0]}\n`);
    expect(await s.storage.rescan()).toEqual([]);
    expect(await s.storage.fileForm('Event', HAMA)).toEqual(JSON.parse(lines[0]));
    const { record: updated } = await s.editing.updateEvent('A', { slug: HAMA, expectedRevision: 1, patch: { title: 'Moved' }, note: 'n' });
    expect(updated!.title).toBe('Moved');
    await s.storage.close();
    expect(bulk().map((l) => l && JSON.parse(l).title)).toEqual([JSON.parse(lines[1]).title, '', 'Moved', '']);
  });
});
