/**
 * Where records live and how changes are committed and followed, behind one small interface: `files/` (the folder,
 * its journal and a watcher) and `postgres/` (a shared database and its change follower) implement it.
 */
import type { CommittedChange, EntityType, FileForm } from '../data/change';
import type { Dataset } from '../data/dataset';

/** A change the editing service has validated, to be committed if the record is still at `expectedRevision`. */
export interface ProposedChange {
  entity: { type: EntityType; slug: string };
  kind: CommittedChange['kind'];
  /** The revision the editor saw; null to create a record that must not exist yet. */
  expectedRevision: number | null;
  editor: string;
  note: string | null;
  /** The record as it was when validated (null for a creation) and as it is to become, in file form. */
  before: FileForm | null;
  after: FileForm;
}

/** Why a proposal was not committed; nothing changed. */
export type CommitRefusal =
  | { code: 'STALE_REVISION'; currentRevision: number }
  | { code: 'NOT_FOUND' }
  | { code: 'DUPLICATE_SLUG' };

/** What the storage holds when opened: the data set as it is now, each record with its revision meta, and every change so far. */
export interface OpenedStorage {
  dataset: Dataset;
  changes: CommittedChange[];
}

/** Receives committed changes from any origin (this process, a hand edit, another replica), in `seq` order, once each. */
export type ChangeListener = (changes: CommittedChange[]) => void;

/** One store of records, embedded (a folder) or shared (PostgreSQL). */
export interface Storage {
  /** Reads everything; called once, before any other method. */
  open(): Promise<OpenedStorage>;
  /**
   * Commits one change durably (fsync / COMMIT) and resolves with it, or with the reason it was refused. Listeners
   * are called with the committed change before the promise resolves.
   */
  commit(proposal: ProposedChange): Promise<CommittedChange | CommitRefusal>;
  /**
   * Optional group commit: commits proposals in order as one durable write (one journal write and one fsync), each
   * checked as if those before it were committed, and resolves with each one's result once all are durable; a
   * refused one changes nothing and leaves the others be, but a later proposal of the same record (made from the
   * refused one) is refused too. Listeners get all the committed changes before it resolves. A storage without it
   * (PostgreSQL: one transaction per edit) is given the proposals one at a time through `commit`.
   */
  commitAll?(proposals: readonly ProposedChange[]): Promise<(CommittedChange | CommitRefusal)[]>;
  /** Calls `listener` with every change committed after `open()`, from any origin, in order. */
  onChanges(listener: ChangeListener): void;
  /** Stops watching/following and releases files or connections. */
  close(): Promise<void>;
}
