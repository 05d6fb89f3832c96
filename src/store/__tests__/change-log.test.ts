import type { CommittedChange, EntityType, FileForm } from '../../data/change';
import { ChangeLog, type LoadedRecords } from '../change-log';

const LOADED_FORMS: Record<string, FileForm> = {
  'Event:hama': { slug: 'hama', title: 'Bombing in Hama' },
  'Place:cairo': { slug: 'cairo', name: 'Cairo' },
};

const loaded: LoadedRecords = {
  formOf: (type: EntityType, slug: string) => LOADED_FORMS[`${type}:${slug}`] ?? null,
  at: '2026-12-01T00:00:00.000Z',
  editor: 'files',
};

function change(seq: number, slug: string, revision: number, before: FileForm | null, after: FileForm, kind: CommittedChange['kind'] = 'UPDATED'): CommittedChange {
  return {
    seq,
    at: `2026-12-02T00:00:0${seq}.000Z`,
    editor: 'Night desk',
    kind,
    entity: { type: 'Event', slug },
    revision,
    note: `change ${seq}`,
    changedFields: ['title'],
    before,
    after,
  };
}

const c1 = change(1, 'hama', 2, { slug: 'hama', title: 'Bombing in Hama' }, { slug: 'hama', title: 'Car bombing in Hama' });
const c2 = change(2, 'new-one', 1, null, { slug: 'new-one', title: 'New' }, 'CREATED');
const c3 = change(3, 'hama', 3, { slug: 'hama', title: 'Car bombing in Hama' }, { slug: 'hama', title: 'Car bombing near Hama' });

describe('ChangeLog', () => {
  it('keeps the changes it starts with and those appended, in seq order, each once', () => {
    const log = new ChangeLog(loaded, [c1]);
    expect(log.append([c1, c2])).toEqual([c2]);
    expect(log.append([c3])).toEqual([c3]);
    expect(log.append([c2, c3])).toEqual([]);
    expect({ changes: log.changes.map((c) => c.seq), lastSeq: log.lastSeq }).toEqual({ changes: [1, 2, 3], lastSeq: 3 });
  });

  it('refuses changes out of seq order and appends none of them', () => {
    const log = new ChangeLog(loaded, [c1]);
    expect(() => log.append([c3, c2])).toThrow('change log: change seq 2 (Event new-one) is out of order after 3; nothing appended');
    expect(log.changes.map((c) => c.seq)).toEqual([1]);
  });

  it('pages the feed after a seq', () => {
    const log = new ChangeLog(loaded, [c1, c2, c3]);
    expect([log.after(0, 2), log.after(1, 10), log.after(3, 10), log.after(1, 0)].map((page) => page.map((c) => c.seq))).toEqual([[1, 2], [2, 3], [], []]);
  });

  it('tells revision 1 of a loaded record from its first change, or from its form as loaded when it never changed', () => {
    const log = new ChangeLog(loaded, [c1, c2, c3]);
    const revisionOne = (after: FileForm, type: EntityType, slug: string): CommittedChange => ({
      seq: 0,
      at: loaded.at,
      editor: 'files',
      kind: 'CREATED',
      entity: { type, slug },
      revision: 1,
      note: null,
      changedFields: Object.keys(after),
      before: null,
      after,
    });
    expect({
      changed: log.revisionsOf('Event', 'hama'),
      created: log.revisionsOf('Event', 'new-one'),
      neverChanged: log.revisionsOf('Place', 'cairo'),
      unknown: log.revisionsOf('Actor', 'nobody'),
    }).toEqual({
      changed: [revisionOne({ slug: 'hama', title: 'Bombing in Hama' }, 'Event', 'hama'), c1, c3],
      created: [c2],
      neverChanged: [revisionOne({ slug: 'cairo', name: 'Cairo' }, 'Place', 'cairo')],
      unknown: [],
    });
  });
});
