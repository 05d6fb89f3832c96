/**
 * What the mutation resolvers need from the editing service (`storage/editing.ts`): one method per mutation, each
 * validating, committing durably and applying before it resolves, and answering the record or every problem.
 */
import type { EditingService } from '../../storage/editing';

export type { Editor as EditingEditor } from '../../storage/edit-inputs';
export type { EditResult, UserError as UserErrorData, UserErrorCode as UserErrorCodeValue } from '../../storage/edit-results';

/** The edits an editor can make; the first argument of each is the authenticated editor's name. */
export type Editing = Pick<EditingService, 'createEvent' | 'updateEvent' | 'retractEvent' | 'restoreEvent' | 'savePlace' | 'saveActor' | 'saveSource'>;
