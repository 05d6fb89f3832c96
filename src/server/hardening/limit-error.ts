/** The one shape of every "request over a limit" error. */
import { GraphQLError } from 'graphql';

/** Error code of a request rejected because it goes over a limit. */
export const LIMIT_EXCEEDED = 'LIMIT_EXCEEDED';

/** Which limit a request went over, its maximum and the request's value. */
export interface LimitDetail {
  name: string;
  max: number;
  actual: number;
}

/** A 400 error naming the limit, its maximum and the request's value, e.g. "Query depth 13 exceeds the limit of 12". */
export function limitError(detail: LimitDetail, message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: LIMIT_EXCEEDED, limit: detail, http: { status: 400 } },
  });
}
