/** Knight Lab TimelineJS JSON: a title slide and one slide per event, dated only as precisely as the data knows. */
import type { Event } from '../../data/dataset';
import { describeDates } from '../../data/dates';
import type { EventStore } from '../../store/event-store';
import type { PageWriter } from './export-format';
import { casualtyLines, categoryLabel, placeChain, sourceNames } from './event-text';

/** A TimelineJS date: `year` always, then only the parts the event's precision supports. */
export interface TimelineJsDate {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
}

/** One TimelineJS slide. */
export interface TimelineJsSlide {
  start_date?: TimelineJsDate;
  end_date?: TimelineJsDate;
  text: { headline: string; text: string };
  display_date?: string;
  group?: string;
  unique_id?: string;
}

/** A whole TimelineJS document. */
export interface TimelineJsDocument {
  title: TimelineJsSlide;
  events: (TimelineJsSlide & { start_date: TimelineJsDate })[];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local wall-clock parts of an instant in `timeZone`. */
function localParts(instant: string, timeZone: string): Required<TimelineJsDate> {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

/** A calendar date cut to what `precision` says is known. */
export function timelineJsDate(date: string, precision: Event['precision'], startsAt?: string, timeZone?: string): TimelineJsDate {
  const [year, month, day] = date.split('-').map(Number);
  switch (precision) {
    case 'YEAR':
      return { year };
    case 'MONTH':
      return { year, month };
    case 'DAY':
    case 'PART_OF_DAY':
      return { year, month, day };
    case 'HOUR':
    case 'MINUTE': {
      if (!startsAt || !timeZone) return { year, month, day };
      const local = localParts(startsAt, timeZone);
      return precision === 'HOUR'
        ? { year: local.year, month: local.month, day: local.day, hour: local.hour }
        : local;
    }
  }
}

function slide(event: Event, store: EventStore): TimelineJsDocument['events'][number] {
  const start = timelineJsDate(event.date, event.precision, event.startsAt, event.timeZone);
  const end = event.endDate ? timelineJsDate(event.endDate, event.precision === 'YEAR' || event.precision === 'MONTH' ? event.precision : 'DAY') : undefined;
  const paragraphs = [
    `<p>${escapeHtml(event.summary)}</p>`,
    `<p><strong>Where:</strong> ${escapeHtml(placeChain(event, store).map((p) => p.name).join(', '))}</p>`,
    ...casualtyLines(event, store).map((line) => `<p>${escapeHtml(line)}.</p>`),
    `<p><strong>Sources:</strong> ${escapeHtml(sourceNames(event, store).join('; '))}</p>`,
  ];
  return {
    start_date: start,
    ...(end && JSON.stringify(end) !== JSON.stringify(start) ? { end_date: end } : {}),
    text: { headline: escapeHtml(event.title), text: paragraphs.join('') },
    display_date: event.displayDate,
    group: categoryLabel(event.category),
    unique_id: event.slug,
  };
}

/** From the first event's date to the latest day any event reaches, each said only as precisely as the data knows it. */
function dateSpan(events: readonly Event[]): string {
  const first = events[0];
  let last = first;
  for (const e of events) if ((e.endDate ?? e.date) >= (last.endDate ?? last.date)) last = e;
  const from = describeDates({ date: first.date, precision: first.precision, timeZone: first.timeZone });
  const lastDay = last.endDate ?? last.date;
  // A span's end is a day (or the month or year) it reaches, not its start time or a phrase such as "Under way on".
  const to = describeDates({ date: lastDay, precision: last.precision === 'MONTH' || last.precision === 'YEAR' ? last.precision : 'DAY', timeZone: last.timeZone });
  return from === to ? from : `${from} to ${to}`;
}

/** The title slide of a page of `events` (already filtered and in date order). */
function titleSlide(events: readonly Event[], title: string): TimelineJsSlide {
  const span = events.length ? dateSpan(events) : 'no events match';
  return {
    text: {
      headline: escapeHtml(title),
      text: `<p>${events.length} dated news event${events.length === 1 ? '' : 's'}, ${escapeHtml(span)}, each with its sources.</p>`,
    },
  };
}

/** The TimelineJS document ({@link TimelineJsDocument} as JSON) for a page of `events`, one slide at a time (see `export-format.ts`). */
export function timelineJsWriter(events: readonly Event[], store: EventStore, title = 'Dateline'): PageWriter {
  return { head: `{"title":${JSON.stringify(titleSlide(events, title))},"events":[`, item: (event) => JSON.stringify(slide(event, store)), separator: ',', tail: ']}' };
}
