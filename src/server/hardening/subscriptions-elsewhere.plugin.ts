/** Refuses subscriptions sent as plain HTTP requests, as a client error that says where they are served. */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, OperationTypeNode } from 'graphql';

/** The answer to a subscription sent over HTTP POST or GET (after the document passed every check). */
export const SUBSCRIPTIONS_ELSEWHERE =
  'Subscriptions are not served over plain HTTP requests: open a WebSocket (protocol graphql-transport-ws) at /graphql, or a Server-Sent Events stream at /graphql/stream, and subscribe there.';

/** Apollo plugin: a valid subscription operation reaching Apollo is answered 400 OPERATION_NOT_SUPPORTED, never run. */
export function subscriptionsElsewherePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError(SUBSCRIPTIONS_ELSEWHERE, { extensions: { code: 'OPERATION_NOT_SUPPORTED', http: { status: 400 } } });
          }
        },
      };
    },
  };
}
