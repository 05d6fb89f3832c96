/** The scalars of the API (dates and JSON objects), built on graphql-scalars' parsing and checking. */
import { GraphQLScalarType, type GraphQLScalarLiteralParser, type GraphQLScalarSerializer, type GraphQLScalarValueParser } from 'graphql';
import { GraphQLDateTime, GraphQLJSONObject, GraphQLLocalDate } from 'graphql-scalars';

/** Most distinct date strings remembered as checked (15 years of days is ~5,500). */
const MAX_REMEMBERED_DATES = 100_000;

/**
 * Wraps a check that returns its input string unchanged, so that each distinct string is checked once:
 * a date that passed is remembered (up to {@link MAX_REMEMBERED_DATES}) and returned at once after.
 * Anything else, and any string not yet seen, goes through the check with its own errors.
 */
function checkedOnce(check: (value: unknown) => unknown): (value: unknown) => unknown {
  const passed = new Set<string>();
  return (value) => {
    if (typeof value === 'string' && passed.has(value)) return value;
    const result = check(value);
    if (typeof value === 'string' && result === value && passed.size < MAX_REMEMBERED_DATES) passed.add(value);
    return result;
  };
}

const localDate = GraphQLLocalDate.toConfig();

/** What a client should write, in the API's own terms (graphql-scalars says "Value is not a valid LocalDate"). */
export const DATE_EXPECTED = 'A Date is a real calendar date written YYYY-MM-DD, e.g. "2012-11-05".';

/**
 * The check, with any rejection told as the `Date` scalar's. A plain Error, so that graphql-js puts the type and
 * the value given in front: `Expected value of type "Date", found "2012-13-01"; A Date is ...`.
 */
function asDateError<A extends unknown[]>(check: (...args: A) => unknown): (...args: A) => unknown {
  return (...args) => {
    try {
      return check(...args);
    } catch {
      throw new Error(DATE_EXPECTED);
    }
  };
}

/** `Date`: a calendar date `YYYY-MM-DD` with no time zone; 2012-02-30 is rejected. */
export const DateScalar = new GraphQLScalarType({
  ...localDate,
  name: 'Date',
  description: 'A calendar date written YYYY-MM-DD, e.g. 2012-11-05, local to the place it describes.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  // Every date in the answers and most in the variables are among a few thousand days: each is checked once.
  serialize: checkedOnce(localDate.serialize as GraphQLScalarSerializer<unknown>),
  parseValue: checkedOnce(asDateError(localDate.parseValue as GraphQLScalarValueParser<unknown>)),
  parseLiteral: asDateError(localDate.parseLiteral as GraphQLScalarLiteralParser<unknown>),
});

/** `DateTime`: an RFC 3339 instant. */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTime.toConfig(),
  name: 'DateTime',
  description: 'An instant written as an RFC 3339 date-time, e.g. 2012-11-05T08:00:00.000Z.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
});

/** `JSONObject`: a record in its file form, as plain JSON (graphql-scalars' object scalar). */
export const JSONObjectScalar = new GraphQLScalarType({
  ...GraphQLJSONObject.toConfig(),
  name: 'JSONObject',
  description: 'A JSON object, e.g. a record exactly as it stands in its data file (without "$schema"), so that clients can show a diff.',
  specifiedByURL: 'https://www.rfc-editor.org/rfc/rfc8259#section-4',
});
