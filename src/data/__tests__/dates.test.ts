import { addDays, daysInclusive, describeDates, isCalendarDate, isTimeZone, localDateOf, toDayNumber } from '../dates';
import { PARTS_OF_DAY, type PartOfDay } from '../schema';

const DAMASCUS = 'Asia/Damascus';

describe('describeDates', () => {
  it('says a date as precisely as it is known', () => {
    expect({
      YEAR: describeDates({ date: '2012-01-01', precision: 'YEAR', timeZone: DAMASCUS }),
      MONTH: describeDates({ date: '2012-06-01', precision: 'MONTH', timeZone: DAMASCUS }),
      DAY: describeDates({ date: '2012-11-05', precision: 'DAY', timeZone: DAMASCUS }),
      PART_OF_DAY: describeDates({ date: '2012-11-04', precision: 'PART_OF_DAY', partOfDay: 'LATE', timeZone: DAMASCUS }),
      HOUR: describeDates({ date: '2012-11-05', precision: 'HOUR', startsAt: '2012-11-05T12:00:00Z', timeZone: DAMASCUS }),
      MINUTE: describeDates({ date: '2012-11-05', precision: 'MINUTE', startsAt: '2012-11-05T12:30:00Z', timeZone: DAMASCUS }),
    }).toEqual({
      YEAR: '2012',
      MONTH: 'June 2012',
      DAY: '5 November 2012',
      PART_OF_DAY: 'Late on 4 November 2012',
      HOUR: 'Around 14:00 on 5 November 2012',
      MINUTE: 'At 14:30 on 5 November 2012',
    });
  });

  it('has words for every part of the day', () => {
    const said = Object.fromEntries(
      PARTS_OF_DAY.map((partOfDay: PartOfDay) => [
        partOfDay,
        describeDates({ date: '2012-11-04', precision: 'PART_OF_DAY', partOfDay, timeZone: DAMASCUS }),
      ]),
    );
    expect(said).toEqual({
      EARLY: 'Early on 4 November 2012',
      MORNING: 'On the morning of 4 November 2012',
      MIDDAY: 'Around midday on 4 November 2012',
      AFTERNOON: 'On the afternoon of 4 November 2012',
      EVENING: 'On the evening of 4 November 2012',
      LATE: 'Late on 4 November 2012',
      NIGHT: 'On the night of 4 November 2012',
    });
  });

  it('gives the time in the zone of the place, not in UTC', () => {
    const at = (startsAt: string, timeZone: string) =>
      describeDates({ date: '2012-11-05', precision: 'MINUTE', startsAt, timeZone });
    expect([
      at('2012-11-05T10:00:00+02:00', 'Africa/Cairo'),
      at('2012-11-05T10:00:00+02:00', 'Asia/Qatar'),
      at('2012-11-04T22:05:00Z', DAMASCUS),
      at('2012-11-05T21:59:00Z', DAMASCUS),
    ]).toEqual([
      'At 10:00 on 5 November 2012',
      'At 11:00 on 5 November 2012',
      'At 00:05 on 5 November 2012',
      'At 23:59 on 5 November 2012',
    ]);
  });

  it('says a span within a month, across months and across years', () => {
    const span = (date: string, endDate: string) => describeDates({ date, endDate, precision: 'DAY', timeZone: DAMASCUS });
    expect([
      span('2012-11-04', '2012-11-05'),
      span('2012-11-01', '2012-11-30'),
      span('2012-10-30', '2012-11-02'),
      span('2012-02-28', '2012-03-01'),
      span('2012-12-31', '2013-01-01'),
      span('2011-03-15', '2012-11-05'),
    ]).toEqual([
      '4-5 November 2012',
      '1-30 November 2012',
      '30 October to 2 November 2012',
      '28 February to 1 March 2012',
      '31 December 2012 to 1 January 2013',
      '15 March 2011 to 5 November 2012',
    ]);
  });

  it('says a span as a span even when the part of the day of its start is known', () => {
    expect(
      describeDates({ date: '2012-11-04', endDate: '2012-11-05', precision: 'PART_OF_DAY', partOfDay: 'NIGHT', timeZone: DAMASCUS }),
    ).toBe('4-5 November 2012');
  });

  it('treats an endDate equal to the date, or null, as a single day', () => {
    expect([
      describeDates({ date: '2012-11-05', endDate: '2012-11-05', precision: 'DAY', timeZone: DAMASCUS }),
      describeDates({ date: '2012-11-05', endDate: null, precision: 'PART_OF_DAY', partOfDay: 'EVENING', timeZone: DAMASCUS }),
    ]).toEqual(['5 November 2012', 'On the evening of 5 November 2012']);
  });

  it('falls back to the day when the finer detail is missing', () => {
    expect([
      describeDates({ date: '2012-11-05', precision: 'PART_OF_DAY', timeZone: DAMASCUS }),
      describeDates({ date: '2012-11-05', precision: 'HOUR', timeZone: DAMASCUS }),
    ]).toEqual(['5 November 2012', '5 November 2012']);
  });
});

describe('isCalendarDate', () => {
  it.each(['2012-11-05', '2012-02-29', '2000-02-29', '2012-12-31', '2013-01-01', '1970-01-01'])('accepts %s', (date) => {
    expect(isCalendarDate(date)).toBe(true);
  });

  it.each([
    '2012-02-30',
    '2013-02-29',
    '1900-02-29',
    '2012-04-31',
    '2012-13-01',
    '2012-00-10',
    '2012-11-00',
    '2012-11-32',
    '2012-1-05',
    '12-11-05',
    '2012/11/05',
    ' 2012-11-05',
    '2012-11-05T00:00:00Z',
    '',
  ])('rejects %j', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });
});

describe('addDays', () => {
  it('moves across months, years and leap days, both ways', () => {
    expect([
      addDays('2012-11-05', 0),
      addDays('2012-11-05', 1),
      addDays('2012-11-30', 1),
      addDays('2012-12-31', 1),
      addDays('2012-02-28', 1),
      addDays('2013-02-28', 1),
      addDays('2012-03-01', -1),
      addDays('2013-01-01', -1),
      addDays('2012-01-01', 366),
      addDays('2012-11-05', -366),
    ]).toEqual([
      '2012-11-05',
      '2012-11-06',
      '2012-12-01',
      '2013-01-01',
      '2012-02-29',
      '2013-03-01',
      '2012-02-29',
      '2012-12-31',
      '2013-01-01',
      '2011-11-05',
    ]);
  });

  it('is unaffected by daylight saving, being calendar arithmetic', () => {
    expect([addDays('2012-03-24', 1), addDays('2012-10-27', 1)]).toEqual(['2012-03-25', '2012-10-28']);
  });
});

describe('daysInclusive', () => {
  it('counts both ends', () => {
    expect([
      daysInclusive('2012-11-05', '2012-11-05'),
      daysInclusive('2012-11-04', '2012-11-05'),
      daysInclusive('2012-02-28', '2012-03-01'),
      daysInclusive('2013-02-28', '2013-03-01'),
      daysInclusive('2012-01-01', '2012-12-31'),
      daysInclusive('2012-01-01', '2013-01-01'),
      daysInclusive('2011-01-01', '2011-12-31'),
    ]).toEqual([1, 2, 3, 2, 366, 367, 365]);
  });

  it('is 0 when the end is the day before the start, and agrees with addDays', () => {
    expect(daysInclusive('2012-11-05', '2012-11-04')).toBe(0);
    for (const n of [0, 1, 29, 365, 366, 1000]) expect(daysInclusive('2012-01-15', addDays('2012-01-15', n))).toBe(n + 1);
  });
});

describe('toDayNumber', () => {
  it('counts days since 1970-01-01', () => {
    expect([toDayNumber('1970-01-01'), toDayNumber('1970-01-02'), toDayNumber('1969-12-31'), toDayNumber('2012-11-05')]).toEqual([
      0, 1, -1, 15649,
    ]);
  });
});

describe('localDateOf', () => {
  it('gives the calendar date of an instant in a zone', () => {
    expect([
      localDateOf('2012-11-04T22:30:00Z', DAMASCUS),
      localDateOf('2012-11-04T21:30:00Z', DAMASCUS),
      localDateOf('2012-11-05T23:30:00+02:00', 'Asia/Qatar'),
      localDateOf('2012-11-05T00:30:00+02:00', 'UTC'),
    ]).toEqual(['2012-11-05', '2012-11-04', '2012-11-06', '2012-11-04']);
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and rejects anything else', () => {
    expect([isTimeZone('Asia/Damascus'), isTimeZone('Africa/Cairo'), isTimeZone('UTC'), isTimeZone('Mars/Olympus'), isTimeZone('Asia/Doha')]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
