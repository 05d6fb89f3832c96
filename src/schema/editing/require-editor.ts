/** The check every mutation resolver makes first: an authenticated editor on a server that can edit. */
import { GraphQLError } from 'graphql';
import type { DatelineContext } from '../context';
import { admittedEditing } from './admitted-editing';
import type { Editing, EditingEditor } from './editing';

/** Error code of a mutation without a valid editor's token. */
export const UNAUTHENTICATED = 'UNAUTHENTICATED';

/** How to enable editing and get a token; every refusal says it. */
export const HOW_TO_GET_A_TOKEN =
  'An administrator creates a token with `npm run editor -- --name "Your name"` (it adds the editor to the EDITORS_FILE setting\'s file and prints the token once); send it as the header "Authorization: Bearer <token>".';

/** The GraphQL error of a request that may not edit: code UNAUTHENTICATED, HTTP 401 with a Bearer challenge. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: UNAUTHENTICATED, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer realm="dateline"']]) } },
  });
}

/** The editing service and the editor's name, or the UNAUTHENTICATED error that says why there are none. */
export function requireEditor({ editor, editing, mayEdit, editDeadline }: DatelineContext): { editing: Editing; editor: EditingEditor } {
  if (!editor || 'refused' in editor) {
    throw unauthenticated(editor?.message ?? `Editing is not enabled on this server. ${HOW_TO_GET_A_TOKEN}`);
  }
  if (!editing) throw unauthenticated(`This server serves a snapshot and cannot be edited. ${HOW_TO_GET_A_TOKEN}`);
  return { editing: admittedEditing(editing), editor: { name: editor.name, mayStart: mayEdit, deadline: editDeadline } };
}
