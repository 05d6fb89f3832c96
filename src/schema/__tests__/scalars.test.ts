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

  it.each(['serialize', 'parseValue'] as const)('%s accepts and rejects exactly what graphql-scalars does, however often asked', (method) => {
    const ours = (v: unknown) => DateScalar[method](v);
    const theirs = (v: unknown) => GraphQLLocalDate[method](v);
    // Twice over: the second round is answered from what the first remembered.
    for (let round = 0; round < 2; round++) {
      for (const value of cases) {
        expect([value, libraryError(ours, value) === null]).toEqual([value, libraryError(theirs, value) === null]);
        if (libraryError(theirs, value) === null) expect(ours(value)).toBe(value);
      }
    }
  });

  it('tells a client that sent a wrong date the form expected, in the API\'s terms', () => {
    const expected = 'A Date is a real calendar date written YYYY-MM-DD, e.g. "2012-11-05".';
    expect(libraryError((v) => DateScalar.parseValue(v), '2012-13-01')).toBe(expected);
    expect(libraryError((v) => DateScalar.parseValue(v), 20121105)).toBe(expected);
    expect(libraryError((v) => DateScalar.parseLiteral(v as never), { kind: 'StringValue', value: '2012-02-30' })).toBe(expected);
    expect(libraryError((v) => DateScalar.parseLiteral(v as never), { kind: 'IntValue', value: '12' })).toBe(expected);
    expect(DateScalar.parseLiteral({ kind: 'StringValue', value: '2012-02-29' } as never)).toBe('2012-02-29');
  });
});
