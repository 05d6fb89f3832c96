/** What every resolver is given: the store to read from and, for mutations, the editing service and the editor. */
import type { EventStore } from '../store/event-store';
import type { ChangeHistory } from './change/change-history';
import type { Editing } from './editing/editing';

/** The per-request context; resolvers read data only through `store` and change it only through `editing`. */
export interface DatelineContext {
  store: EventStore;
  /** The revision history and the change feed; absent on a server without them (every record then at revision 1). */
  history?: ChangeHistory;
  /** Commits edits; absent on a server that serves a snapshot without editing. */
  editing?: Editing;
  /** The editor whose token the request carries, or why there is none; only mutations look. */
  editor?: EditorIdentity;
  /**
   * Asked when an edit's turn comes (it waits behind others): false once the request has passed its execution
   * deadline, when it will be answered TIMEOUT and so must change nothing. True also means the edit starts now: the
   * request is then answered with the edit's result, not TIMEOUT, however long the commit takes. Absent: always.
   */
  mayEdit?: () => boolean;
  /**
   * When the request's execution deadline passes (a `performance.now()` time): an edit whose turn in the editing
   * queue would come later is refused at once, rather than answered TIMEOUT after waiting. Absent: no deadline.
   */
  editDeadline?: number;
}

/** Who sent a request, as the server's authentication found it. */
export type EditorIdentity =
  | { name: string }
  | { refused: 'NOT_CONFIGURED' | 'NO_TOKEN' | 'MALFORMED' | 'UNKNOWN_TOKEN'; message: string };
