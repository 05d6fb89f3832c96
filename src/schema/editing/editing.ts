/**
 * What the mutation resolvers need from the editing service (`storage/editing.ts`): one method per mutation, each
 * validating, committing durably and applying before it resolves, and answering the record or every problem.
 */
import type { Actor, Event, Place, Source } from '../../data/dataset';
import type { FileForm } from '../../data/change';
import type { UserErrorCodeValue } from './user-error.type';

/** One problem with a mutation's input; `field` is the path in the mutation's `input`. */
export interface UserErrorData {
  field: string[];
  message: string;
  code: UserErrorCodeValue;
}

/** What a mutation did: the record as it now is, or null and the problems that stopped it. */
export interface EditResult<T> {
  record: T | null;
  userErrors: UserErrorData[];
}

/** The edits an editor can make; `editor` is the authenticated editor's name, recorded in the revision. */
export interface Editing {
  createEvent(editor: string, input: { event: FileForm; note: string | null }): Promise<EditResult<Event>>;
  updateEvent(editor: string, input: { slug: string; expectedRevision: number; patch: FileForm; note: string }): Promise<EditResult<Event>>;
  retractEvent(editor: string, input: { slug: string; expectedRevision: number; reason: string }): Promise<EditResult<Event>>;
  restoreEvent(editor: string, input: { slug: string; expectedRevision: number; note: string }): Promise<EditResult<Event>>;
  savePlace(editor: string, input: { record: FileForm; expectedRevision: number | null; note: string | null }): Promise<EditResult<Place>>;
  saveActor(editor: string, input: { record: FileForm; expectedRevision: number | null; note: string | null }): Promise<EditResult<Actor>>;
  saveSource(editor: string, input: { record: FileForm; expectedRevision: number | null; note: string | null }): Promise<EditResult<Source>>;
}
