import { GraphQLError } from 'graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { DateScalar } from '../scalars';

/** The message graphql-scalars gives for `value`, or null when it accepts it. */
function libraryError(parse: (v: unknown) => unknown, value: unknown): string | null {
  try {
    parse(value);
    return null;
  } catch (err) {
    return (err as GraphQLError).message;
  }
}

describe('Date scalar', () => {
  const cases: unknown[] = ['2012-11-05', '2012-02-30', '2012-13-01', '12-11-05', 20121105, null, '2012-02-29', '2013-02-29'];

  it.each(['serialize', 'parseValue'] as const)('%s accepts and rejects exactly what graphql-scalars does, with its words, however often asked', (method) => {
    const ours = (v: unknown) => DateScalar[method](v);
    const theirs = (v: unknown) => GraphQLLocalDate[method](v);
    // Twice over: the second round is answered from what the first remembered.
    for (let round = 0; round < 2; round++) {
      for (const value of cases) {
        expect([value, libraryError(ours, value)]).toEqual([value, libraryError(theirs, value)]);
        if (libraryError(theirs, value) === null) expect(ours(value)).toBe(value);
      }
    }
    expect(libraryError(ours, '2012-02-30')).toMatch(/not a valid LocalDate/);
  });

  it('parses literals through graphql-scalars, which rejects a date that does not exist', () => {
    expect(() => DateScalar.parseLiteral({ kind: 'StringValue', value: '2012-02-30' } as never)).toThrow(/not a valid LocalDate/);
  });
});
