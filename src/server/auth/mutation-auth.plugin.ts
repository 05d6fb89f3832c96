/** Refuses a mutation without a valid editor's token before anything executes. */
import type { ApolloServerPlugin } from '@apollo/server';
import type { DatelineContext } from '../../schema/context';
import { requireEditor } from '../../schema/editing/require-editor';

/**
 * An Apollo plugin: once the operation is known, a mutation from a request without an editor (or on a server that
 * cannot edit) is answered with the UNAUTHENTICATED error, HTTP 401, and no resolver runs. Resolvers check again.
 */
export function mutationAuthPlugin(): ApolloServerPlugin<DatelineContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'mutation') requireEditor(contextValue);
        },
      };
    },
  };
}
