/**
 * The change feed and the revision history in memory: every committed change in `seq` order, and each record's
 * changes by entity, so that a page of the feed after a cursor or the revisions of one record cost a binary search
 * or a map lookup. The storage layer keeps them durable; this is what queries read.
 */
import type { CommittedChange, EntityType, FileForm } from '../data/change';

/** How revision 1 of a record that was loaded (not created through Dateline) is told. */
export interface LoadedRecords {
  /** The file form of the record as loaded, or null when there is no such record; asked only for records never changed. */
  formOf(type: EntityType, slug: string): FileForm | null;
  /** RFC 3339 instant the data set was first loaded: revision 1's `at`. */
  at: string;
  /** Revision 1's editor: `files` for a folder, `import` for a database import. */
  editor: string;
}

const entityKey = (type: EntityType, slug: string) => `${type}\0${slug}`;

/** Every committed change and every record's revisions, appended to as changes are committed. */
export class ChangeLog {
  private readonly all: CommittedChange[] = [];
  private readonly byEntity = new Map<string, CommittedChange[]>();

  /** Starts with the changes committed so far (in `seq` order), as storage opened them. */
  constructor(
    private readonly loaded: LoadedRecords,
    changes: readonly CommittedChange[] = [],
  ) {
    this.append(changes);
  }

  /** Every committed change, in `seq` order. */
  get changes(): readonly CommittedChange[] {
    return this.all;
  }

  /** The `seq` of the last change, 0 before any. */
  get lastSeq(): number {
    return this.all.length ? this.all[this.all.length - 1].seq : 0;
  }

  /**
   * Adds committed changes; those at or below {@link lastSeq} were delivered already and are skipped, so a change
   * heard twice is kept once. Returns the changes added. Throws, adding none, when `changes` are not in `seq` order.
   */
  append(changes: readonly CommittedChange[]): CommittedChange[] {
    const fresh = changes.filter((c) => c.seq > this.lastSeq);
    for (let i = 0; i < fresh.length; i++) {
      const c = fresh[i];
      if (!Number.isSafeInteger(c.seq) || (i > 0 && c.seq <= fresh[i - 1].seq)) {
        throw new Error(`change log: change seq ${c.seq} (${c.entity.type} ${c.entity.slug}) is out of order after ${i > 0 ? fresh[i - 1].seq : this.lastSeq}; nothing appended`);
      }
    }
    for (const c of fresh) {
      this.all.push(c);
      const key = entityKey(c.entity.type, c.entity.slug);
      const revisions = this.byEntity.get(key);
      if (revisions) revisions.push(c);
      else this.byEntity.set(key, [c]);
    }
    return fresh;
  }

  /** Up to `limit` changes after `seq` (0: from the first), in order. */
  after(seq: number, limit: number): CommittedChange[] {
    let lo = 0;
    let hi = this.all.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.all[mid].seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.all.slice(lo, lo + Math.max(0, limit));
  }

  /**
   * The revisions of one record, oldest first. A record that was loaded rather than created through Dateline gets
   * its revision 1 told here (kind CREATED, the record as loaded, `seq` 0 since it is no change of the feed). Empty
   * when there is no such record.
   */
  revisionsOf(type: EntityType, slug: string): readonly CommittedChange[] {
    const changes = this.byEntity.get(entityKey(type, slug)) ?? [];
    // Created through Dateline (its first change is revision 1), or history from before revision 2 is not here.
    if (changes.length && changes[0].revision !== 2) return changes;
    const form = changes.length ? changes[0].before : this.loaded.formOf(type, slug);
    if (form === null) return changes;
    const first: CommittedChange = {
      seq: 0,
      at: this.loaded.at,
      editor: this.loaded.editor,
      kind: 'CREATED',
      entity: { type, slug },
      revision: 1,
      note: null,
      changedFields: Object.keys(form),
      before: null,
      after: form,
    };
    return [first, ...changes];
  }
}
