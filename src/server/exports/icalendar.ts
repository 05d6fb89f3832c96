/** An RFC 5545 iCalendar file of events: all-day entries, or timed ones where the start time is known. */
import type { Event } from '../../data/dataset';
import { addDays } from '../../data/dates';
import type { EventStore } from '../../store/event-store';
import type { PageWriter } from './export-format';
import { casualtyLines, categoryLabel, placeChain, sourceNames } from './event-text';
import { locatingPlace } from './geojson';

/** Domain part of every UID, so UIDs stay the same across exports and servers. */
export const UID_DOMAIN = 'dateline.events';

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/**
 * UTF-8 octets of the character starting at code unit `i` of `text`: 4 for a surrogate pair (two units), 3 for a lone
 * surrogate (written as U+FFFD, as Buffer does).
 */
function octetsAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 4;
  }
  return 3;
}

/** Folds a content line to at most 75 octets per line (RFC 5545 §3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let start = 0;
  let used = 0;
  // Walks code units, not `for...of` characters with a Buffer each: most lines are short and come back whole.
  for (let i = 0; i < line.length; ) {
    const size = octetsAt(line, i);
    // Continuation lines start with a space, which counts toward their 75 octets.
    const limit = out.length === 0 ? 75 : 74;
    if (used + size > limit) {
      out.push(line.slice(start, i));
      start = i;
      used = 0;
    }
    used += size;
    i += size === 4 ? 2 : 1;
  }
  if (start === 0) return line;
  out.push(line.slice(start));
  return out.join('\r\n ');
}

function basicDate(date: string): string {
  return date.replace(/-/g, '');
}

/** An RFC 3339 instant as an iCalendar UTC DATE-TIME, e.g. 20121105T080000Z. */
function utcDateTime(instant: string): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** How long a timed entry lasts: the unit its start is known to, since the sources give no end (RFC 5545 §3.8.2.5). */
const TIMED_DURATION: Partial<Record<Event['precision'], string>> = { HOUR: 'PT1H', MINUTE: 'PT1M' };

/** DTSTART and DTEND or DURATION: a timed entry for a known time, else all-day entries that claim no more days than the data. */
function when(event: Event): string[] {
  if (event.startsAt !== undefined) return [`DTSTART:${utcDateTime(event.startsAt)}`, `DURATION:${TIMED_DURATION[event.precision] ?? 'PT0S'}`];
  // Known only to the month or year: one day, the first, named as such in the summary; never a month- or year-long entry.
  const last = event.precision === 'MONTH' || event.precision === 'YEAR' ? event.date : (event.endDate ?? event.date);
  return [`DTSTART;VALUE=DATE:${basicDate(event.date)}`, `DTEND;VALUE=DATE:${basicDate(addDays(last, 1))}`];
}

function vevent(event: Event, store: EventStore, stamp: string): string[] {
  const located = locatingPlace(event, store);
  const description = [
    event.summary,
    `When: ${event.displayDate}`,
    ...casualtyLines(event, store).map((line) => `${line}.`),
    `Sources: ${sourceNames(event, store).join('; ')}`,
  ].join('\n\n');
  const roughly = event.precision === 'MONTH' || event.precision === 'YEAR';
  return [
    'BEGIN:VEVENT',
    `UID:${event.slug}@${UID_DOMAIN}`,
    `DTSTAMP:${stamp}`,
    ...when(event),
    `SUMMARY:${escapeText(roughly ? `${event.title} (${event.displayDate})` : event.title)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `LOCATION:${escapeText(placeChain(event, store).map((p) => p.name).join(', '))}`,
    ...(located ? [`GEO:${located.latitude};${located.longitude}`] : []),
    `CATEGORIES:${escapeText(categoryLabel(event.category))}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** The calendar's first lines, before its events. */
function header(name: string): string[] {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Dateline//Event export//EN', 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(name)}`];
}

/** Content lines folded, each ended by CRLF. */
const contentLines = (lines: string[]) => lines.map((line) => `${foldLine(line)}\r\n`).join('');

/**
 * The iCalendar file for a page of events, one event at a time (see `export-format.ts`): CRLF line ends, folded lines;
 * DTSTAMP is `exportedAt`, when the file was made (RFC 5545 §3.8.7.2).
 */
export function iCalendarWriter(store: EventStore, exportedAt: Date, name = 'Dateline'): PageWriter {
  const stamp = utcDateTime(exportedAt.toISOString());
  return { head: contentLines(header(name)), item: (event) => contentLines(vevent(event, store, stamp)), separator: '', tail: contentLines(['END:VCALENDAR']) };
}
