/** What the hardening plugins learn about a request, kept per request so the access log can report it. */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage } from 'node:http';

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
  /** Set when a mutation of the request started its edit: it is answered with the edit's result, never TIMEOUT. */
  editStarted?: boolean;
}

const storage = new AsyncLocalStorage<RequestTrace>();

const arrivals = new WeakMap<IncomingMessage, bigint>();

/** Records when `req` arrived, for a request read ahead of Express (the fast path) and then handed on. */
export function markArrival(req: IncomingMessage, start: bigint): void {
  arrivals.set(req, start);
}

/** A fresh trace for a request arriving now, or for `req` when its arrival was recorded earlier. */
export function newTrace(req?: IncomingMessage): RequestTrace {
  return { start: (req && arrivals.get(req)) ?? process.hrtime.bigint(), errorCodes: [], timedOut: false };
}

/** The trace of the request being answered, when inside {@link runWithTrace}. */
export function currentTrace(): RequestTrace | undefined {
  return storage.getStore();
}

/** Runs `fn` (and everything it starts asynchronously) as part of the request of `trace`. */
export function runWithTrace<T>(trace: RequestTrace, fn: () => T): T {
  return storage.run(trace, fn);
}
