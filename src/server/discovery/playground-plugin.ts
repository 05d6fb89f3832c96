/** An Apollo landing-page plugin that answers browsers at /graphql with the self-hosted playground. */
import type { ApolloServerPlugin } from '@apollo/server';

/** Serves `html` as the landing page (Apollo sends it for a GET that accepts text/html). */
export function playgroundPlugin(html: string): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
