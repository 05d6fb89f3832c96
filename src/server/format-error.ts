/** Shapes every error a client sees: its own mistakes explained, anything unexpected hidden and logged. */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { InvalidArgumentError } from '../store/errors';

/** Codes whose messages are about the request and safe to show as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'LIMIT_EXCEEDED',
  'TIMEOUT',
  'OPERATION_NOT_SUPPORTED',
  'UNAUTHENTICATED',
]);

/** Apollo's wording of an APQ hash that does not match its query, and what the client is told instead. */
const APQ_MISMATCH = 'provided sha does not match query';
const APQ_MISMATCH_HELP =
  'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it; send the hex SHA-256 of the exact query text, or leave the persistedQuery extension out.';

/** Schema suggestions in graphql-js messages ("Did you mean ...?"), hidden in production. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** Error detail switches; `debug` keeps stack traces in responses (never on in production). */
export interface FormatErrorOptions {
  debug?: boolean;
  /** Production: strip "Did you mean ...?" schema suggestions from every message (variable errors included). */
  production?: boolean;
}

/** Builds Apollo's `formatError`: maps store argument errors to BAD_USER_INPUT and masks the rest. */
export function createFormatError(logger: Logger, { debug = false, production = false }: FormatErrorOptions = {}) {
  const format = formatWith(logger, debug);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const shaped = format(formatted, error);
    return production ? { ...shaped, message: shaped.message.replace(SUGGESTION, '') } : shaped;
  };
}

function formatWith(logger: Logger, debug: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof InvalidArgumentError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: 'BAD_USER_INPUT', argument: original.argument },
      };
    }
    if (formatted.message === APQ_MISMATCH) return { message: APQ_MISMATCH_HELP, extensions: { code: 'BAD_REQUEST' } };
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace, ...extensions } = formatted.extensions ?? {};
      // Limits enforced by the parser and validation rules come back under Apollo's codes; give them their own.
      if (extensions.limit && (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED')) extensions.code = 'LIMIT_EXCEEDED';
      if (extensions.unsupportedOperation && code === 'GRAPHQL_VALIDATION_FAILED') extensions.code = 'OPERATION_NOT_SUPPORTED';
      return { ...formatted, extensions: debug && stacktrace ? { ...extensions, stacktrace } : extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error while answering a request');
    return {
      message: debug && original instanceof Error ? `Internal server error: ${original.message}` : 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: debug && original instanceof Error ? { code: 'INTERNAL_SERVER_ERROR', stacktrace: original.stack?.split('\n') } : { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
