/** Meeting a set with many lists one by one gives what meeting it with their union gives. */
import fc from 'fast-check';
import { disjointUnion, intersect, range, toArray, union, type IdSet } from '../id-set';
import { meetAny } from '../meet-lists';

const sortedList = fc.uniqueArray(fc.nat({ max: 300 }), { maxLength: 40 }).map((xs) => Int32Array.from(xs.sort((a, b) => a - b)));

const set: fc.Arbitrary<IdSet> = fc.oneof(
  fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 300 })).map(([a, b]) => range(Math.min(a, b), Math.max(a, b))),
  sortedList.map((ids): IdSet => ({ kind: 'list', ids })),
  fc.tuple(fc.nat({ max: 150 }), fc.nat({ max: 150 })).map(([a, b]) => disjointUnion([range(0, Math.min(a, b)), range(150 + Math.min(a, b), 150 + Math.max(a, b))])),
);

describe('meetAny', () => {
  it('equals the set met with the union of the lists, for ranges, lists and disjoint unions', () => {
    fc.assert(
      fc.property(set, fc.array(sortedList, { maxLength: 12 }), (s, lists) => {
        expect(toArray(meetAny(s, lists))).toEqual(toArray(intersect(s, union(lists))));
      }),
    );
  });
});
