/** The two date scalars of the API, built on graphql-scalars' parsing and checking. */
import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTime, GraphQLLocalDate } from 'graphql-scalars';

/** `Date`: a calendar date `YYYY-MM-DD` with no time zone; 2012-02-30 is rejected. */
export const DateScalar = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  name: 'Date',
  description: 'A calendar date written YYYY-MM-DD, e.g. 2012-11-05, local to the place it describes.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
});

/** `DateTime`: an RFC 3339 instant. */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  name: 'DateTime',
  description: 'An instant written as an RFC 3339 date-time, e.g. 2012-11-05T08:00:00.000Z.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
});
