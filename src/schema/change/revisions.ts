/** The `revisions` field every record type has: its history, oldest first, a page at a time. */
import type { CommittedChange, EntityType } from '../../data/change';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import { pageOfNumbered } from '../connection/numbered-page';
import type { PageArgs } from '../../store/pagination';
import type { DatelineContext } from '../context';

/** Cursor kind of a record's revisions: a cursor encodes the revision number. */
export const REVISION_CURSOR_KIND = 'revision';

/** Description of every `revisions` field. */
export const REVISIONS_DESCRIPTION =
  'Every revision of this record, oldest first: revision 1 as created or first loaded, then one per change, each with the record before and after in its file form.';

/** The page of the revisions of record `slug` of `type` that `page` asks for. */
export function revisionsPage(type: EntityType, slug: string, page: PageArgs, { history }: DatelineContext): ConnectionValue<CommittedChange> {
  const items = history?.revisionsOf(type, slug) ?? [];
  return toConnection(pageOfNumbered({ cursorKind: REVISION_CURSOR_KIND, items, numberOf: (r) => r.revision }, page));
}
