/**
 * The execution time limit. Resolvers are bounded by the cost limit, and the work budget
 * (`work-budget.ts`) stops an execution at the deadline while letting the event loop turn; a timer per
 * request also answers it with a TIMEOUT error when it is not answered in time (a slow plugin, the
 * test-only delay); Apollo's late answer is then dropped. The response is 200 with `data: null`: the request was
 * valid and had started executing (GraphQL over HTTP answers executed requests with 200), and a 5xx
 * would tell proxies and monitors the service is broken when only this one request was too slow.
 *
 * A mutation is the exception once its edit has started (`startEdit`): the edit may be committed by then, so an answer
 * of TIMEOUT would tell its client a change was not made when it was. From that moment the request is answered with
 * the edit's real result, however long the commit takes; an edit whose turn comes after the deadline never starts.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { currentTrace, type RequestTrace } from './request-trace';

/** Error code of a request that ran out of time. */
export const TIMEOUT = 'TIMEOUT';

/** The JSON body of a request answered by the deadline. */
export function timeoutBody(limitMs: number, actualMs: number) {
  return {
    data: null,
    errors: [
      {
        message: `The request took more than the limit of ${limitMs} ms and was stopped; ask for less (smaller pages, fewer fields) and retry.`,
        extensions: { code: TIMEOUT, limit: { name: 'executionTimeoutMs', max: limitMs, actual: actualMs } },
      },
    ],
  };
}

/** Express middleware that answers the request with {@link timeoutBody} if nothing answered it within `limitMs`. */
export function executionDeadline(limitMs: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const trace = res.locals.trace as RequestTrace | undefined;
    const timer = setTimeout(() => {
      if (res.headersSent || trace?.editStarted) return;
      if (trace) {
        trace.timedOut = true;
        trace.errorCodes.push(TIMEOUT);
      }
      const elapsed = trace ? Number((process.hrtime.bigint() - trace.start) / 1_000_000n) : limitMs;
      res.status(200).json(timeoutBody(limitMs, elapsed));
    }, limitMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/**
 * Whether a mutation of the request may start its edit now: not once the request is stopped or answered TIMEOUT. When
 * it may, neither the timer above nor the work budget (`budget`, the request's WorkBudget) cuts the request any more, so
 * it reports what the edit did.
 */
export function startEdit(trace: RequestTrace | undefined, budget: { holdDeadline(): boolean }): boolean {
  if (trace?.timedOut || !budget.holdDeadline()) return false;
  if (trace) trace.editStarted = true;
  return true;
}

/**
 * Skips execution of a request the deadline has already answered, so its late work is not done.
 * `testDelayMs` (test only, 0 in service) first waits that long, to exercise the deadline and draining.
 */
export function deadlinePlugin(testDelayMs = 0): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation() {
          if (testDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, testDelayMs));
          if (currentTrace()?.timedOut) throw new GraphQLError('The request already timed out.', { extensions: { code: TIMEOUT, http: { status: 200 } } });
        },
      };
    },
  };
}
