/** Apollo plugin that tags cacheable GET answers with an ETag and keeps mutations out of caches. */
import type { ApolloServerPlugin } from '@apollo/server';
import { entityTag, graphqlRequestKey } from './entity-tag';

/**
 * Sets `ETag` on error-free GET/HEAD answers whose cache policy is public, from the data version and the request
 * (the same tag `conditionalGraphqlGet` checks); marks any mutation `no-store`. The version is read when the request
 * starts: an answer worked out while an edit landed carries the older tag, which no later request matches.
 */
export function httpCachePlugin(readVersion: () => string): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const version = readVersion();
      return {
        async willSendResponse({ request, response, operation, overallCachePolicy, queryHash }) {
          if (operation?.operation === 'mutation') {
            response.http.headers.set('cache-control', 'no-store');
            return;
          }
          const method = request.http?.method;
          if (method !== 'GET' && method !== 'HEAD') return;
          if (response.body.kind !== 'single' || response.body.singleResult.errors || !queryHash) return;
          if (overallCachePolicy.policyIfCacheable()?.scope !== 'PUBLIC') return;
          response.http.headers.set('etag', entityTag(version, graphqlRequestKey(queryHash, request.operationName, request.variables)));
        },
      };
    },
  };
}
