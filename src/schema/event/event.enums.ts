/** The enums that describe events and what is reported about them. */
import type {
  CasualtyKind as CasualtyKindValue,
  CountQualifier as CountQualifierValue,
  DatePrecision as DatePrecisionValue,
  EventCategory as EventCategoryValue,
  ParticipantRole as ParticipantRoleValue,
  PartOfDay as PartOfDayValue,
} from '../../data/schema';
import type { Event as EventData } from '../../data/dataset';
import { describedEnum } from '../register-enum';

/** What kind of event it is. */
export const EventCategory = describedEnum<EventCategoryValue>('EventCategory', 'What kind of event it is. More categories may be added.', {
  DIPLOMACY: 'Talks, meetings and agreements between governments or their envoys.',
  STATEMENT: 'Something said publicly: a press conference, a speech, a declaration.',
  POLITICAL: 'Political moves outside diplomacy, such as opposition talks or elections.',
  ARMED_CLASH: 'Fighting between armed forces or groups.',
  BOMBING: 'An explosion set off on purpose, such as a car bomb or a suicide attack.',
  AIR_STRIKE: 'An attack from the air.',
});

/** How exactly the time of an event is known. */
export const DatePrecision = describedEnum<DatePrecisionValue>('DatePrecision', 'How exactly the time of an event is known.', {
  YEAR: 'Only the year is known; date is 1 January of it.',
  MONTH: 'Only the month is known; date is the first of it.',
  DAY: 'The day is known, not the time of day.',
  PART_OF_DAY: 'The day and the part of the day (e.g. late) are known; see partOfDay.',
  HOUR: 'The time is known to the hour; see startsAt.',
  MINUTE: 'The time is known to the minute; see startsAt.',
});

/** The part of a day an event happened in, when no clock time is known. */
export const PartOfDay = describedEnum<PartOfDayValue>('PartOfDay', 'The part of the day an event happened (or began) in, when the sources give no clock time.', {
  EARLY: 'Early in the day.',
  MORNING: 'In the morning.',
  MIDDAY: 'Around midday.',
  AFTERNOON: 'In the afternoon.',
  EVENING: 'In the evening.',
  LATE: 'Late in the day.',
  NIGHT: 'At night.',
});

/** The part an actor played in an event. */
export const ParticipantRole = describedEnum<ParticipantRoleValue>('ParticipantRole', 'The part an actor played in an event.', {
  HOST: 'Hosted the event.',
  ATTENDEE: 'Took part in talks or a meeting.',
  MEDIATOR: 'Mediated between other parties.',
  SPEAKER: 'Spoke at the event; their words are among its quotes.',
  SUBJECT: 'Was spoken about or affected, without taking part.',
  ATTACKER: 'Carried out an attack.',
  TARGET: 'Was attacked.',
  COMBATANT: 'Fought in the event.',
  SUPPORTER: 'Backed one side of the event.',
});

/** Killed or injured. */
export const CasualtyKind = describedEnum<CasualtyKindValue>('CasualtyKind', 'Whether a casualty figure counts the dead or the injured.', {
  KILLED: 'People killed.',
  INJURED: 'People injured.',
});

/** How a source qualified a number. */
export const CountQualifier = describedEnum<CountQualifierValue>('CountQualifier', 'How a source qualified a number; never rounded or upgraded.', {
  EXACTLY: 'The source gave the number as exact.',
  AT_LEAST: 'The source said "at least" the number.',
  MORE_THAN: 'The source said "more than" the number.',
  ABOUT: 'The source said "about" or "some" of the number.',
  UP_TO: 'The source said "up to" the number.',
});

/** Whether an event is published or retracted. */
export const EventStatus = describedEnum<EventData['status']>('EventStatus', 'Whether an event stands or has been retracted.', {
  PUBLISHED: 'The event stands: it appears in lists, counts, the timeline and exports.',
  RETRACTED: 'The event was retracted (see retraction): it leaves lists, counts, the timeline and exports unless a filter asks for includeRetracted, but still resolves by slug and ID.',
});
