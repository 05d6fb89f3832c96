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
  'UNAUTHENTICATED',
]);

/** Error detail switches; `debug` keeps stack traces in responses (never on in production). */
export interface FormatErrorOptions {
  debug?: boolean;
}

/** Builds Apollo's `formatError`: maps store argument errors to BAD_USER_INPUT and masks the rest. */
export function createFormatError(logger: Logger, { debug = false }: FormatErrorOptions = {}) {
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
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace, ...extensions } = formatted.extensions ?? {};
      // Limits enforced by the parser and validation rules come back under Apollo's codes; give them their own.
      if (extensions.limit && (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED')) extensions.code = 'LIMIT_EXCEEDED';
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
