/** What the hardening plugins learn about a request, kept per request so the access log can report it. */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Facts about one request, filled in as it is answered. */
export interface RequestTrace {
  /** `process.hrtime.bigint()` when the request arrived. */
  start: bigint;
  operationName?: string | null;
  /** The query cost, once computed. */
  cost?: number;
  /** The `extensions.code` of every error in the response. */
  errorCodes: string[];
  /** Set when the execution deadline answered the request with TIMEOUT. */
  timedOut: boolean;
}

const storage = new AsyncLocalStorage<RequestTrace>();

/** A fresh trace for a request arriving now. */
export function newTrace(): RequestTrace {
  return { start: process.hrtime.bigint(), errorCodes: [], timedOut: false };
}

/** The trace of the request being answered, when inside {@link runWithTrace}. */
export function currentTrace(): RequestTrace | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts asynchronously) as part of the request of `trace`. */
export function runWithTrace<T>(trace: RequestTrace, fn: () => T): T {
  return storage.run(trace, fn);
}
