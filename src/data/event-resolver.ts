/** Resolves the events of a data set as they are read, and keeps where each was read and what was wrong with it. */
import type { Actor, Event, EventLocation, Place, Source } from './dataset';
import type { DataProblem } from './problems';
import { resolveEvent, type EventContext } from './resolve-event';
import type { EventRecord } from './schema';
import { SlugTable } from './slug-table';
import { sortEvents } from './sort-events';

/**
 * Resolves each event as soon as it is parsed: checks it against the catalogues, shares their strings and builds
 * its {@link Event}, so that the parsed record dies young instead of living until every file is read. Problems
 * come out as a resolution after reading would list them: duplicate slugs first, then each event's own in order.
 */
export class EventResolver implements EventContext {
  /**
   * The first event with each slug: its record number (in reading order) until it is made, then the event. Once
   * every record is in and none has a problem, this is every event by slug, which the store then need not rebuild.
   */
  private readonly first = new SlugTable<Event | number>();
  /** File and line of each record, by record number: a problem's file name is put together only when needed. */
  private readonly fileOfRecord: number[] = [];
  private readonly lineOfRecord: number[] = [];
  private readonly files: string[] = [];
  private readonly duplicates: DataProblem[] = [];
  /** Each event's own problems, with its record number (a deferred event's come later but sort back in place). */
  private readonly found: { k: number; problem: DataProblem }[] = [];
  /** Events, by record number; a deferred one fills its slot at the end. */
  private readonly events: Event[] = [];
  /** Events that name a related event not read yet; resolved once every slug is known. */
  private readonly deferred: { k: number; record: EventRecord }[] = [];
  /** The record being resolved, which problems are reported on. */
  private current = 0;
  /** How many records could not be made events (each has a problem, its own or its place's). */
  private skipped = 0;
  // The same strings for values that recur: dates, and the words of enums.
  private readonly shared = new Map<string, string>();
  /** How each single day (precision DAY, no span) is described, by date. */
  readonly days = new Map<string, string>();

  constructor(
    readonly places: Map<string, Place>,
    readonly actors: Map<string, Actor>,
    readonly sources: Map<string, Source>,
  ) {}

  /** Takes the next valid record, found in `file` (at NDJSON line `line`, else 0). */
  add(record: EventRecord, file: string, line: number): void {
    const k = this.fileOfRecord.length;
    if (this.files[this.files.length - 1] !== file) this.files.push(file);
    this.fileOfRecord.push(this.files.length - 1);
    this.lineOfRecord.push(line);
    let outcome: Event | number = k;
    if (this.waits(record)) {
      this.events.push(undefined as unknown as Event);
      this.deferred.push({ k, record });
    } else {
      const event = this.resolve(record, k);
      this.events.push(event as Event);
      if (event === null) this.skipped++;
      else outcome = event;
    }
    if (!this.first.add(record.slug, outcome)) {
      const kept = this.first.get(record.slug)!;
      const earlier = typeof kept === 'number' ? kept : this.events.indexOf(kept);
      this.duplicates.push({
        file: this.fileOf(k),
        path: 'slug',
        message: `${JSON.stringify(record.slug)} is already the slug of the event in ${this.fileOf(earlier)}; slugs must be unique`,
      });
    }
  }

  /** Every event (in (date, slug) order), once all records are added; meaningful only when there are no problems. */
  finish(): Event[] {
    for (const { k, record } of this.deferred) {
      const event = this.resolve(record, k);
      this.events[k] = event as Event;
      if (event === null) this.skipped++;
      else if (this.first.get(record.slug) === k) this.first.set(record.slug, event);
    }
    if (this.deferred.length) this.found.sort((a, b) => a.k - b.k);
    return sortEvents(this.skipped ? this.events.filter((e) => e !== null) : this.events);
  }

  /** The problems found, in the order a person reads them: duplicate slugs, then each event's. */
  problems(): DataProblem[] {
    return [...this.duplicates, ...this.found.map((f) => f.problem)];
  }

  /** Whether the record names a related event not read yet: it is then resolved at the end, against every slug. */
  private waits(record: EventRecord): boolean {
    if (record.related) for (const s of record.related) if (s !== record.slug && !this.first.has(s)) return true;
    return false;
  }

  /** Every event by slug; meaningful only when there are no problems. */
  bySlug(): SlugTable<Event> {
    return this.first as SlugTable<Event>;
  }

  /**
   * Where each event was read, by slug; meaningful only when there are no problems (then each slug was added once, so
   * its entry number in the slug table is its record number). Kept in typed arrays: 8 bytes an event.
   */
  locator(): (slug: string) => EventLocation | undefined {
    const { first, files } = this;
    const fileOf = Int32Array.from(this.fileOfRecord);
    const lineOf = Int32Array.from(this.lineOfRecord);
    return (slug) => {
      const k = first.indexOf(slug);
      return k >= 0 && k < fileOf.length ? { file: files[fileOf[k]], line: lineOf[k] } : undefined;
    };
  }

  private fileOf(k: number): string {
    const file = this.files[this.fileOfRecord[k]];
    return this.lineOfRecord[k] ? `${file}:${this.lineOfRecord[k]}` : file;
  }

  /** Reports a problem of the record being resolved. */
  problem(path: string, message: string): void {
    this.found.push({ k: this.current, problem: { file: this.fileOf(this.current), path, message } });
  }

  /** One shared copy of a recurring string: dates, and the words of enums. */
  share(value: string): string {
    const hit = this.shared.get(value);
    if (hit !== undefined) return hit;
    this.shared.set(value, value);
    return value;
  }

  /** Whether an event with this slug has been read. */
  hasEvent(slug: string): boolean {
    return this.first.has(slug);
  }

  /** Checks record `k` and builds its event, or reports why it cannot be served and returns null. */
  private resolve(r: EventRecord, k: number): Event | null {
    this.current = k;
    return resolveEvent(r, this);
  }
}
