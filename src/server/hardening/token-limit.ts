/**
 * The parser's token limit (Apollo's `parseOptions.maxTokens`) stops at the first token over it, so
 * its error names the limit but not the size of the query; this plugin counts the tokens and adds
 * them, so the error says both, like every other limit.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Lexer, Source, TokenKind, type GraphQLError } from 'graphql';
import type { LimitDetail } from './limit-error';

/** Tokens in `query` as the parser counts them (all but start and end of file); stops counting at a lexical error. */
export function countTokens(query: string): number {
  const lexer = new Lexer(new Source(query));
  let n = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) n++;
  } catch {
    // A lexical error past the limit: what was counted so far is still over it.
  }
  return n;
}

const TOO_MANY_TOKENS = /^Syntax Error: Document contains more th[ae][nt] (\d+) tokens/;

/**
 * Rewrites `error` in place when it is the parser's "more than N tokens" error for `query`, to name the limit and the
 * query's token count; leaves any other error as it is. Shared with the subscription transports (server/live).
 */
export function describeTokenLimit(error: GraphQLError, query: string): void {
  const match = TOO_MANY_TOKENS.exec(error.message);
  if (!match) return;
  const max = Number(match[1]);
  const actual = countTokens(query);
  const limit: LimitDetail = { name: 'tokens', max, actual };
  Object.assign(error.extensions, { limit });
  error.message = `The query has ${actual} tokens, more than the limit of ${max}; send a shorter query.`;
}

/** Rewrites the parser's "more than N tokens" error to name the limit and the query's token count. */
export function tokenLimitPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, request }) {
          if (typeof request.query !== 'string') return;
          for (const error of errors) describeTokenLimit(error, request.query);
        },
      };
    },
  };
}
