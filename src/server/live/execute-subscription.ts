/**
 * Runs subscriptions with graphql-js (graphql-jit does not do subscriptions). Every change goes to many subscribers,
 * and most of them sent the same document with the same variables (a page, an app): the answer for one change is
 * executed and serialized once per document and variables and shared (`shared-answers.ts`), and written to each
 * subscriber directly (`direct-subscription.ts`) rather than through the protocol library's per-message machinery.
 */
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { DirectSubscription, type PolledSource } from './direct-subscription';
import { createSharedAnswers, type FormatResult } from './shared-answers';

/** What `subscribe` gives a transport: a subscription to deliver with `deliverTo`, or the result that refused it. */
export type SubscriptionResult = DirectSubscription | ExecutionResult;

function isPolledSource(value: unknown): value is PolledSource {
  return typeof value === 'object' && value !== null && typeof (value as PolledSource).poll === 'function' && typeof (value as PolledSource).watch === 'function';
}

/**
 * Makes the `subscribe` both transports use: graphql-js' source stream (a subscriber queue of `live/`), its items
 * answered through the shared answers, errors shaped by `format`. The transport starts delivery with `deliverTo`.
 */
export function createSubscriptionExecutor(format: FormatResult): (args: ExecutionArgs) => Promise<SubscriptionResult> {
  const answerFor = createSharedAnswers(format);
  return async (args) => {
    const stream = await createSourceEventStream(args);
    if (!isPolledSource(stream)) {
      if (Symbol.asyncIterator in Object(stream)) throw new Error('A subscription resolver returned a source that is not a live subscriber queue.');
      return stream as ExecutionResult;
    }
    // Named once per subscription rather than once per change.
    const variant = `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
    return new DirectSubscription(stream, (item) => answerFor(args, variant, item as object));
  };
}
