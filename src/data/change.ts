/**
 * One committed change: the unit of the revision history and of the change feed. Plain data, shared by every layer
 * above `data/` (store, storage, live, schema); the storage layer hands out `seq` in commit order.
 */

/** The kinds of record that have revisions. */
export type EntityType = 'Event' | 'Place' | 'Actor' | 'Source';

/** What a change did to its record. */
export type ChangeKind = 'CREATED' | 'UPDATED' | 'RETRACTED' | 'RESTORED';

/** A record in its file form: exactly the object written to (or read from) its file, without `$schema`. */
export type FileForm = Record<string, unknown>;

/** A change as committed: durable before anyone is told of it. Every change is also a revision of its record. */
export interface CommittedChange {
  /** 1, 2, 3, ... in commit order, with no gaps that fill in later; the change feed's cursor encodes it. */
  seq: number;
  /** RFC 3339 instant of the commit. */
  at: string;
  /** The editor's name; `files` for a hand edit of the folder. */
  editor: string;
  kind: ChangeKind;
  entity: { type: EntityType; slug: string };
  /** The record's revision after this change (its first change makes revision 2 of a loaded record). */
  revision: number;
  /** The editor's note, or the reason of a retraction; null when none was given. */
  note: string | null;
  /** Top-level fields of the file form that differ from `before` (every field for a creation). */
  changedFields: string[];
  /** The record as it was; null for a creation. */
  before: FileForm | null;
  /** The record as it became. */
  after: FileForm;
}
