/** What the change feed and the revision fields read: the committed changes, and each record's revisions. */
import type { CommittedChange, EntityType } from '../../data/change';

/** The history of the data set since it was first loaded, kept in commit order. */
export interface ChangeHistory {
  /** Every committed change, in `seq` order (1, 2, 3, ... with no gaps). */
  readonly changes: readonly CommittedChange[];
  /**
   * The revisions of one record, oldest first; revision 1 of a record that never changed through Dateline is the
   * record as loaded. Empty when there is no such record.
   */
  revisionsOf(type: EntityType, slug: string): readonly CommittedChange[];
}
