/** Group commit: edits checked while a group is being committed are committed together, one journal flush for all. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CommitRefusal, ProposedChange } from '../storage';
import { GroupCommit } from '../group-commit';
import { EditQueueFull } from '../edit-admission';
import { EditingService } from '../editing';
import { copyEvents, journalLines, makeRoot, removeRoot, serve, type Served } from './edit-harness';

const HAMA = 'hama-checkpoint-suicide-car-bombing';
const IDLIB = 'idlib-air-strike';
const DAMASCUS = 'damascus-fighting-tadamon-yarmouk';
const LAVROV = 'lavrov-cairo-press-conference';
const QATAR = 'syrian-opposition-talks-in-qatar';

let root: string;
let dir: string;
let s: Served;
/** The editing service over the storage, its first group commit held until `release()`. */
let editing: EditingService;
let release: () => void;
/** The proposals of each group the storage was given. */
let groups: string[][];

beforeEach(async () => {
  root = makeRoot();
  dir = copyEvents(root);
  s = await serve(dir);
  groups = [];
  const held = new Promise<void>((resolve) => (release = resolve));
  const storage = {
    commit: (p: ProposedChange) => s.storage.commit(p),
    commitAll: async (ps: readonly ProposedChange[]) => {
      groups.push(ps.map((p) => `${p.entity.slug}@${p.expectedRevision}`));
      if (groups.length === 1) await held;
      return s.storage.commitAll(ps);
    },
  };
  editing = new EditingService(s.store, storage, s.storage, { maxWaiting: 4 });
});
afterEach(async () => {
  release();
  await s.storage.close();
  removeRoot(root);
});

const update = (slug: string, expectedRevision: number, title: string) => editing.updateEvent('Desk', { slug, expectedRevision, patch: { title }, note: 'n' });

/** Waits (a millisecond at a time, the checks read files) until `count` edits wait for their group commit. */
async function pendingReach(count: number): Promise<void> {
  for (let i = 0; i < 5000 && editing.pendingEdits < count; i++) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(editing.pendingEdits).toBe(count);
}

it('commits the edits checked while a group is in flight as the next group: one journal flush for all of them', async () => {
  const flushes = s.storage.journalFlushes;
  const first = update(HAMA, 1, 'First');
  await pendingReach(1);
  const rest = [update(IDLIB, 1, 'Idlib'), update(DAMASCUS, 1, 'Damascus'), update(LAVROV, 1, 'Lavrov'), update(QATAR, 1, 'Qatar')];
  await pendingReach(5);
  release();
  const results = await Promise.all([first, ...rest]);
  expect(results.map((r) => [r.record?.revision, r.userErrors])).toEqual(Array(5).fill([2, []]));
  expect(groups).toEqual([[`${HAMA}@1`], [`${IDLIB}@1`, `${DAMASCUS}@1`, `${LAVROV}@1`, `${QATAR}@1`]]);
  expect(s.storage.journalFlushes - flushes).toBe(2);
  expect(journalLines(dir).map((l) => l.change.entity.slug)).toEqual([HAMA, IDLIB, DAMASCUS, LAVROV, QATAR]);
  expect(s.store.event(QATAR)).toMatchObject({ title: 'Qatar', revision: 2 });
});

it('checks an edit against the edits accepted before it: the second edit of an event in a group sees the first', async () => {
  const first = update(IDLIB, 1, 'Held');
  await pendingReach(1);
  const a = update(HAMA, 1, 'A');
  const b = update(HAMA, 2, 'B'); // names the revision the first makes
  const stale = update(HAMA, 1, 'Old'); // names the revision before it
  await pendingReach(3);
  release();
  const [, ra, rb, rs] = await Promise.all([first, a, b, stale]);
  expect(ra.userErrors).toEqual([]);
  expect(rb.record).toMatchObject({ title: 'B', revision: 3 });
  expect(rs).toEqual({ record: null, userErrors: [{ field: ['expectedRevision'], message: `event "${HAMA}" is at revision 3, not 1; read it again and apply the change to revision 3`, code: 'STALE_REVISION' }] });
  expect(groups[1]).toEqual([`${HAMA}@1`, `${HAMA}@2`]);
  expect(journalLines(dir).filter((l) => l.change.entity.slug === HAMA).map((l) => [l.change.revision, l.change.after.title])).toEqual([
    [2, 'A'],
    [3, 'B'],
  ]);
  expect(JSON.parse(fs.readFileSync(path.join(dir, `2012-11-05-${HAMA}.json`), 'utf8')).title).toBe('B');
});

it('refuses an edit of a group without spoiling the others, and the refused one changes nothing', async () => {
  const first = update(HAMA, 1, 'Held');
  await pendingReach(1);
  const good = update(IDLIB, 1, 'Good');
  const broken = editing.updateEvent('Desk', { slug: DAMASCUS, expectedRevision: 1, patch: { date: 'not a date' }, note: 'n' });
  const beaten = update(LAVROV, 1, 'Mine');
  const last = update(QATAR, 1, 'Also good');
  await pendingReach(4);
  // A hand edit of one event's file lands before the group is written: the storage refuses that proposal.
  const lavrovFile = path.join(dir, `2012-11-05-${LAVROV}.json`);
  fs.writeFileSync(lavrovFile, fs.readFileSync(lavrovFile, 'utf8').replace(/"title": "[^"]*"/, '"title": "By hand"'));
  release();
  const [, rGood, rBroken, rBeaten, rLast] = await Promise.all([first, good, broken, beaten, last]);
  expect(rBroken.record).toBeNull();
  expect(rBroken.userErrors[0]).toMatchObject({ field: ['patch', 'date'], code: 'INVALID' });
  expect(rBeaten.userErrors).toEqual([{ field: ['expectedRevision'], message: `event "${LAVROV}" is at revision 2, not 1; read it again and apply the change to revision 2`, code: 'STALE_REVISION' }]);
  expect([rGood.record?.title, rLast.record?.title]).toEqual(['Good', 'Also good']);
  expect(groups[1]).toEqual([`${IDLIB}@1`, `${LAVROV}@1`, `${QATAR}@1`]);
  expect(journalLines(dir).map((l) => [l.change.entity.slug, l.change.editor])).toEqual([
    [HAMA, 'Desk'],
    [LAVROV, 'files'],
    [IDLIB, 'Desk'],
    [QATAR, 'Desk'],
  ]);
  expect(s.store.event(LAVROV)).toMatchObject({ title: 'By hand', revision: 2 });
  expect(s.store.event(DAMASCUS)!.revision).toBe(1);
});

it('refuses at once an edit whose turn would come after its deadline, or when the queue is full: nothing changes', async () => {
  const past = editing.updateEvent({ name: 'Desk', deadline: performance.now() - 1 }, { slug: HAMA, expectedRevision: 1, patch: { title: 'Late' }, note: 'n' });
  await expect(past).rejects.toBeInstanceOf(EditQueueFull);
  await expect(past).rejects.toThrow(/this request has 0 ms left before its deadline; nothing was changed/);
  // A catalogue edit holds the queue until it is durable; the group commit is held, so four edits wait for their turn.
  const held = update(HAMA, 1, 'Held');
  await pendingReach(1);
  const place = editing.saveActor('Desk', { record: { slug: 'new-actor', name: 'New actor', kind: 'STATE' } });
  const waiting = [update(IDLIB, 1, 'I'), update(DAMASCUS, 1, 'D'), update(LAVROV, 1, 'L')];
  await expect(update(QATAR, 1, 'Q')).rejects.toThrow('The editing queue is full: 4 edits are waiting, the most allowed is 4; nothing was changed.');
  release();
  await Promise.all([held, place, ...waiting]);
  expect(s.store.event(QATAR)!.revision).toBe(1);
  expect(journalLines(dir).map((l) => l.change.entity.slug)).toEqual([HAMA, 'new-actor', IDLIB, DAMASCUS, LAVROV]);
});

it('gives a storage without group commit (PostgreSQL) the proposals one at a time, and refuses an edit made from a refused one', async () => {
  const committed: string[] = [];
  let answer!: (value: CommitRefusal) => void;
  const storage = {
    commit: (p: ProposedChange) => {
      committed.push(`${p.entity.slug}@${p.expectedRevision}`);
      // The first is refused (another replica got there first), once both later edits were checked against it.
      if (committed.length === 1) return new Promise<CommitRefusal>((resolve) => (answer = resolve));
      return Promise.resolve({ code: 'NOT_FOUND' } as const);
    },
  };
  const group = new GroupCommit(storage);
  const proposal = (slug: string, expectedRevision: number): ProposedChange => ({ entity: { type: 'Event', slug }, kind: 'UPDATED', expectedRevision, editor: 'Desk', note: null, before: {}, after: { slug } });
  const first = group.propose(proposal(HAMA, 1), 2, null, []);
  const second = group.propose(proposal(HAMA, 2), 3, null, [group.pendingOf('Event', HAMA)!]);
  const other = group.propose(proposal(IDLIB, 1), 2, null, []);
  expect(group.waiting).toBe(3);
  answer({ code: 'STALE_REVISION', currentRevision: 2 });
  expect(await first).toEqual({ code: 'STALE_REVISION', currentRevision: 2 });
  expect(await second).toMatchObject({ code: 'DEPENDENCY', on: { slug: HAMA, revision: 2 } });
  expect(await other).toEqual({ code: 'NOT_FOUND' });
  expect(committed).toEqual([`${HAMA}@1`, `${IDLIB}@1`]);
  expect(group.pendingOf('Event', HAMA)).toBeUndefined();
});
