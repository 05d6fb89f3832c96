import { addDays } from '../../data/dates';
import { bucketStart, countBuckets, dateBuckets, nextBucketStart, type BucketSize } from '../date-buckets';

const SIZES: BucketSize[] = ['DAY', 'WEEK', 'MONTH', 'YEAR'];

describe('dateBuckets', () => {
  it('starts weeks on Monday (ISO 8601)', () => {
    // 4 November 2012 was a Sunday, 5 November a Monday.
    expect(bucketStart('2012-11-04', 'WEEK')).toBe('2012-10-29');
    expect(bucketStart('2012-11-05', 'WEEK')).toBe('2012-11-05');
    expect(new Date('2012-10-29T00:00:00Z').getUTCDay()).toBe(1);
  });

  it('rolls months and years over, leap days included', () => {
    expect(nextBucketStart('2012-12-01', 'MONTH')).toBe('2013-01-01');
    expect(dateBuckets('2012-02-10', '2012-03-02', 'MONTH')).toEqual([
      { start: '2012-02-10', end: '2012-02-29' },
      { start: '2012-03-01', end: '2012-03-02' },
    ]);
    expect(dateBuckets('2011-12-31', '2012-01-01', 'YEAR')).toEqual([
      { start: '2011-12-31', end: '2011-12-31' },
      { start: '2012-01-01', end: '2012-01-01' },
    ]);
  });

  it.each(SIZES)('%s buckets tile the range with no gap or overlap, and countBuckets agrees', (size) => {
    for (const [from, to] of [['2012-06-01', '2012-11-05'], ['2011-12-25', '2013-01-07'], ['2012-11-04', '2012-11-04']]) {
      const buckets = dateBuckets(from, to, size);
      expect(buckets.length).toBe(countBuckets(from, to, size));
      expect(buckets[0].start).toBe(from);
      expect(buckets[buckets.length - 1].end).toBe(to);
      for (let i = 1; i < buckets.length; i++) expect(buckets[i].start).toBe(addDays(buckets[i - 1].end, 1));
      for (const b of buckets) expect(bucketStart(b.start, size)).toBe(bucketStart(b.end, size));
    }
  });
});
