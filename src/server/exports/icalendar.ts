/** An RFC 5545 iCalendar file of events: all-day entries, or timed ones where the start time is known. */
import type { Event } from '../../data/dataset';
import { addDays } from '../../data/dates';
import type { EventStore } from '../../store/event-store';
import { casualtyLines, categoryLabel, placeChain, sourceNames } from './event-text';
import { locatingPlace } from './geojson';

/** Domain part of every UID, so UIDs stay the same across exports and servers. */
export const UID_DOMAIN = 'dateline.events';

/** Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line to at most 75 octets per line (RFC 5545 §3.1), never inside a UTF-8 character. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    // Continuation lines start with a space, which counts toward their 75 octets.
    const limit = out.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function basicDate(date: string): string {
  return date.replace(/-/g, '');
}

/** An RFC 3339 instant as an iCalendar UTC DATE-TIME, e.g. 20121105T080000Z. */
function utcDateTime(instant: string): string {
  return new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function vevent(event: Event, store: EventStore): string[] {
  const located = locatingPlace(event, store);
  const description = [
    event.summary,
    `When: ${event.displayDate}`,
    ...casualtyLines(event, store).map((line) => `${line}.`),
    `Sources: ${sourceNames(event, store).join('; ')}`,
  ].join('\n\n');
  // The data has no edit times; the event's own start keeps DTSTAMP, and so the file, the same for the same data.
  const stamp = event.startsAt ? utcDateTime(event.startsAt) : `${basicDate(event.date)}T000000Z`;
  const timed = event.startsAt !== undefined;
  return [
    'BEGIN:VEVENT',
    `UID:${event.slug}@${UID_DOMAIN}`,
    `DTSTAMP:${stamp}`,
    ...(timed
      ? [`DTSTART:${utcDateTime(event.startsAt!)}`]
      : [`DTSTART;VALUE=DATE:${basicDate(event.date)}`, `DTEND;VALUE=DATE:${basicDate(addDays(event.endDate ?? event.date, 1))}`]),
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(description)}`,
    `LOCATION:${escapeText(placeChain(event, store).map((p) => p.name).join(', '))}`,
    ...(located ? [`GEO:${located.latitude};${located.longitude}`] : []),
    `CATEGORIES:${escapeText(categoryLabel(event.category))}`,
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/** The iCalendar text for `events`, CRLF line ends, folded lines. */
export function toICalendar(events: Event[], store: EventStore, name = 'Dateline'): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dateline//Event export//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    ...events.flatMap((e) => vevent(e, store)),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
