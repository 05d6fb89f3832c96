/** What both live transports need from the server: the checks, the executor, the context and the shared limits. */
import type { ExecutionArgs, GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { HardeningOptions } from '../hardening/options';
import type { LiveConnections } from './connection-guard';
import type { SubscriptionResult } from './execute-subscription';
import type { LiveOptions } from './live-options';
import type { FormatResult } from './shared-answers';
import type { WriteBatcher } from './write-batching';
import type { OperationPreparer } from './prepare-operation';

/** The dependencies of a transport. */
export interface TransportDeps {
  /** Checks a request like a query (`prepare-operation.ts`). */
  prepare: OperationPreparer;
  subscribe(args: ExecutionArgs): Promise<SubscriptionResult>;
  /** The context of one subscription. */
  context(): object;
  /** Shapes errors as the HTTP endpoint does. */
  formatErrors(errors: readonly GraphQLError[]): GraphQLFormattedError[];
  /** Shapes a result's errors with `formatErrors`, as it is sent. */
  formatResult: FormatResult;
  /** Open connections of both transports, against LIVE_MAX_CONNECTIONS. */
  connections: LiveConnections;
  /** Coalesces the writes of all live connections (`write-batching.ts`). */
  batcher: WriteBatcher;
  options: LiveOptions & Pick<HardeningOptions, 'corsOrigins' | 'maxBodyBytes'>;
  logger: Logger;
}
