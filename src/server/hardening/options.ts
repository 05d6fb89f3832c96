/** The limits and switches that keep the service safe from whatever a client sends. */

/** Every hardening setting; `config.ts` reads each from the environment. */
export interface HardeningOptions {
  /** Largest request body read, in bytes; a larger one is answered 413. */
  maxBodyBytes: number;
  /** Largest query cost (see `query-cost.ts`) executed. */
  maxCost: number;
  /** Deepest field nesting of an operation, introspection fields not counted. */
  maxDepth: number;
  /** Most fields in one document (each written field, fragments counted once). */
  maxFields: number;
  /** Most selections in one selection set. */
  maxSelections: number;
  /** Most aliases in one document. */
  maxAliases: number;
  /** Most directive uses in one document. */
  maxDirectives: number;
  /** Most lexical tokens parsed from one query string. */
  maxTokens: number;
  /** Largest answer a GraphQL request may build, in characters of JSON (counted as it is resolved). */
  maxAnswerChars: number;
  /** Events an export page holds when its URL gives no `limit`. */
  exportDefaultLimit: number;
  /** Most events an export page may hold (`limit`). */
  exportMaxLimit: number;
  /** Milliseconds a request may take from its arrival to its answer before it is answered with TIMEOUT. */
  executionTimeoutMs: number;
  /** Milliseconds a client has to send the request headers. */
  headersTimeoutMs: number;
  /** Milliseconds a client has to send the whole request. */
  requestTimeoutMs: number;
  /** Milliseconds requests in flight get to finish on SIGTERM before their connections are cut. */
  shutdownGraceMs: number;
  /** Browser origins allowed by CORS; `*` allows any, without credentials. */
  corsOrigins: '*' | string[];
  /** Show stack traces of unexpected errors in responses (never in production). */
  debugErrors: boolean;
  /** Production mode: hides "Did you mean ...?" schema suggestions from error messages. */
  production: boolean;
  /** Test only: milliseconds to wait before executing each operation, to test timeouts and draining. */
  testDelayMs: number;
}

/** The defaults, also used as the defaults of the settings in `config.ts`. */
export const DEFAULT_HARDENING: HardeningOptions = {
  maxBodyBytes: 100 * 1024,
  maxCost: 10_000,
  maxDepth: 12,
  maxFields: 500,
  maxSelections: 100,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5_000,
  maxAnswerChars: 16_000_000,
  exportDefaultLimit: 1000,
  exportMaxLimit: 5000,
  executionTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  shutdownGraceMs: 10_000,
  corsOrigins: '*',
  debugErrors: false,
  production: false,
  testDelayMs: 0,
};
