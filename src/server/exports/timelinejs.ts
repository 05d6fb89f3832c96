/** Knight Lab TimelineJS JSON: a title slide and one slide per event, dated only as precisely as the data knows. */
import type { Event } from '../../data/dataset';
import { describeDates } from '../../data/dates';
import type { EventStore } from '../../store/event-store';
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

/** The local wall-clock parts of an instant in `timeZone`. */
function localParts(instant: string, timeZone: string): Required<TimelineJsDate> {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
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
function dateSpan(events: Event[]): string {
  const first = events[0];
  let last = first;
  for (const e of events) if ((e.endDate ?? e.date) >= (last.endDate ?? last.date)) last = e;
  const from = describeDates({ date: first.date, precision: first.precision, timeZone: first.timeZone });
  const lastDay = last.endDate ?? last.date;
  // A span's end is a day (or the month or year) it reaches, not its start time or a phrase such as "Under way on".
  const to = describeDates({ date: lastDay, precision: last.precision === 'MONTH' || last.precision === 'YEAR' ? last.precision : 'DAY', timeZone: last.timeZone });
  return from === to ? from : `${from} to ${to}`;
}

/** The TimelineJS document for `events` (already filtered and in date order). */
export function toTimelineJs(events: Event[], store: EventStore, title = 'Dateline'): TimelineJsDocument {
  const span = events.length ? dateSpan(events) : 'no events match';
  return {
    title: {
      text: {
        headline: escapeHtml(title),
        text: `<p>${events.length} dated news event${events.length === 1 ? '' : 's'}, ${escapeHtml(span)}, each with its sources.</p>`,
      },
    },
    events: events.map((e) => slide(e, store)),
  };
}
