/**
 * The editing service: every mutation is one straight line, one at a time in this process: read the record as it is,
 * check the proposed record with the one validation of `data/` (the loader's rules and words), commit it to the
 * storage (durable before it resolves; the storage's listeners put it into the store and publish it), and answer
 * with the record as the store now serves it, or with user errors and nothing changed.
 */
import type { ChangeKind, EntityType, FileForm } from '../data/change';
import type { Actor, Event, Place, Source } from '../data/dataset';
import { ordered, sameData } from '../data/file-form';
import { checkCatalogueRecord, checkEvent, type InputProblem } from '../data/validate-input';
import { withArticle } from '../data/validate-record';
import type { Storage } from './storage';
import { catalogueRecordsOf, lookups, resolvePlaceChange, storeFileForm, type StoreReads } from './store-records';

/** Why a mutation changed nothing. */
export type UserErrorCode = 'INVALID' | 'NOT_FOUND' | 'DUPLICATE_SLUG' | 'UNKNOWN_REFERENCE' | 'STALE_REVISION';

/** One reason a mutation changed nothing: where in the input, what, and of which kind. */
export interface UserError {
  field: string[];
  message: string;
  code: UserErrorCode;
}

/** What every mutation answers: the record as it now is, or null and why not. */
export interface EditResult<T> {
  record: T | null;
  userErrors: UserError[];
}

/** Where the current records come from in file form; the file storage has them exactly, the store by derivation. */
export interface RecordSource {
  fileForm(type: EntityType, slug: string): Promise<FileForm | null>;
  catalogue(type: Exclude<EntityType, 'Event'>): FileForm[];
}

/** A record as given in input: a plain object (or a GraphQL input object) whose absent fields may be null. */
export type RecordInput = object;

/** `createEvent`'s input. */
export interface CreateEventInput {
  event: RecordInput;
  note?: string | null;
}
/** `updateEvent`'s input: `patch` fields left out stay, null removes a field, a list replaces the whole list. */
export interface UpdateEventInput {
  slug: string;
  expectedRevision: number;
  patch: RecordInput;
  note: string;
}
/** `retractEvent`'s input. */
export interface RetractEventInput {
  slug: string;
  expectedRevision: number;
  reason: string;
}
/** `restoreEvent`'s input. */
export interface RestoreEventInput {
  slug: string;
  expectedRevision: number;
  note: string;
}
/** `savePlace`/`saveActor`/`saveSource`'s input: no `expectedRevision` creates, one updates. */
export interface SaveRecordInput {
  record: RecordInput;
  expectedRevision?: number | null;
  note?: string | null;
}

const NOUN: Record<EntityType, string> = { Event: 'event', Place: 'place', Actor: 'actor', Source: 'source' };
const LIST: Record<EntityType, string> = { Event: 'events', Place: 'places', Actor: 'actors', Source: 'sources' };

/** A copy of an input value with every null or undefined field left out (as a file leaves out what it does not say). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: FileForm = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = plain(v);
  return out;
}

/** Who makes an edit: the editor's name, and whether the edit may still start when its turn comes (default: yes). */
export type Editor = string | { name: string; mayStart?: () => boolean };

/** What an edit that never started answers: nothing changed (the request's own error says why). */
const NOT_STARTED: EditResult<never> = { record: null, userErrors: [] };

const invalid = (field: string[], message: string): UserError => ({ field, message, code: 'INVALID' });
const failed = <T>(userErrors: (UserError | InputProblem)[]): EditResult<T> => ({ record: null, userErrors });

/** Validates and commits edits; the one way records change through the API. */
export class EditingService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly records: RecordSource;

  /**
   * `store` is read (the storage's listener must apply committed changes to it before `commit` resolves); `records`
   * gives the current file forms (default: worked out from the store).
   */
  constructor(
    private readonly store: StoreReads,
    private readonly storage: Pick<Storage, 'commit'>,
    records?: RecordSource,
  ) {
    this.records = records ?? {
      fileForm: async (type, slug) => storeFileForm(store, type, slug),
      catalogue: (type) => catalogueRecordsOf(store, type),
    };
  }

  /** Creates an event; its slug must be new. */
  createEvent(by: Editor, input: CreateEventInput): Promise<EditResult<Event>> {
    return this.serial(by, async (editor) => {
      const after = ordered('Event', plain(input.event) as FileForm);
      delete after.retraction;
      const problems = checkEvent(after, lookups(this.store), ['event']).problems;
      if (problems.length) return failed(problems);
      return this.commitEvent(editor, 'CREATED', String(after.slug), null, null, after, input.note ?? null, ['event', 'slug']);
    });
  }

  /** Changes some fields of an event at `expectedRevision`. */
  updateEvent(by: Editor, input: UpdateEventInput): Promise<EditResult<Event>> {
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision);
      if (Array.isArray(before)) return failed(before);
      const patch = input.patch as Record<string, unknown>;
      const errors: UserError[] = [];
      for (const key of ['slug', 'retraction']) {
        if (patch[key] !== undefined) errors.push(invalid(['patch', key], `${key}: cannot be changed by a patch${key === 'slug' ? '; a slug never changes' : '; use retractEvent or restoreEvent'}`));
      }
      if (errors.length) return failed(errors);
      const merged: FileForm = { ...before };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) delete merged[key];
        else merged[key] = plain(value);
      }
      const after = ordered('Event', merged);
      // A patch that changes nothing is no revision: the record is answered as it is, and the feed stays as it was.
      if (sameData(before, after)) return { record: this.store.event(input.slug) ?? null, userErrors: [] };
      const problems = checkEvent(after, lookups(this.store), ['patch']).problems;
      if (problems.length) return failed(problems);
      return this.commitEvent(editor, 'UPDATED', input.slug, input.expectedRevision, before, after, input.note);
    });
  }

  /** Retracts a published event: it leaves lists, counts and exports, and says who, when and why. */
  retractEvent(by: Editor, input: RetractEventInput, at = new Date()): Promise<EditResult<Event>> {
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision);
      if (Array.isArray(before)) return failed(before);
      if (before.retraction) return failed([invalid(['slug'], `event "${input.slug}" is already retracted; restoreEvent publishes it again`)]);
      if (!input.reason?.trim()) return failed([invalid(['reason'], 'reason: must be a non-empty string, got ""')]);
      const after = ordered('Event', { ...before, retraction: { at: at.toISOString(), editor, reason: input.reason } });
      const problems = checkEvent(after, lookups(this.store), []).problems;
      if (problems.length) return failed(problems);
      return this.commitEvent(editor, 'RETRACTED', input.slug, input.expectedRevision, before, after, input.reason);
    });
  }

  /** Publishes a retracted event again. */
  restoreEvent(by: Editor, input: RestoreEventInput): Promise<EditResult<Event>> {
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision);
      if (Array.isArray(before)) return failed(before);
      if (!before.retraction) return failed([invalid(['slug'], `event "${input.slug}" is not retracted; there is nothing to restore`)]);
      const after: FileForm = { ...before };
      delete after.retraction;
      return this.commitEvent(editor, 'RESTORED', input.slug, input.expectedRevision, before, after, input.note);
    });
  }

  /** Creates a place (no `expectedRevision`) or replaces it whole. */
  savePlace(by: Editor, input: SaveRecordInput): Promise<EditResult<Place>> {
    return this.saveCatalogueRecord(by, 'Place', input, (slug) => this.store.place(slug) ?? null);
  }

  /** Creates an actor (no `expectedRevision`) or replaces it whole. */
  saveActor(by: Editor, input: SaveRecordInput): Promise<EditResult<Actor>> {
    return this.saveCatalogueRecord(by, 'Actor', input, (slug) => this.store.actor(slug) ?? null);
  }

  /** Creates a source (no `expectedRevision`) or replaces it whole. */
  saveSource(by: Editor, input: SaveRecordInput): Promise<EditResult<Source>> {
    return this.saveCatalogueRecord(by, 'Source', input, (slug) => this.store.source(slug) ?? null);
  }

  /** The event's file form, or why it cannot be edited at `expectedRevision`. */
  private async current(slug: string, expectedRevision: number): Promise<FileForm | UserError[]> {
    const before = await this.records.fileForm('Event', slug);
    if (!before) return this.notFound('Event', slug);
    return this.staleNow('Event', slug, expectedRevision) ?? before;
  }

  /**
   * Runs `step` once the edits before it are done, unless `by` may no longer start one by then (its request passed
   * its deadline while it waited, and will be answered TIMEOUT): then nothing changes.
   */
  private serial<R>(by: Editor, step: (editor: string) => Promise<EditResult<R>>): Promise<EditResult<R>> {
    const { name, mayStart } = typeof by === 'string' ? { name: by, mayStart: undefined } : by;
    const run = this.queue.then(() => (mayStart && !mayStart() ? NOT_STARTED : step(name)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private notFound(type: EntityType, slug: string, field = ['slug']): UserError[] {
    return [{ field, message: `no ${NOUN[type]} has the slug "${slug}"; the ${LIST[type]} query lists them`, code: 'NOT_FOUND' }];
  }

  private async saveCatalogueRecord<T>(by: Editor, type: Exclude<EntityType, 'Event'>, input: SaveRecordInput, read: (slug: string) => T | null): Promise<EditResult<T>> {
    return this.serial(by, async (editor) => {
      const root = [NOUN[type]];
      const after = ordered(type, plain(input.record) as FileForm);
      const slug = String(after.slug);
      const creating = input.expectedRevision === null || input.expectedRevision === undefined;
      const before = await this.records.fileForm(type, slug);
      if (creating && before) return failed(this.duplicate(type, slug, [...root, 'slug']));
      if (!creating && !before) return failed(this.notFound(type, slug, [...root, 'slug']));
      const stale = creating ? null : this.staleNow(type, slug, input.expectedRevision!);
      if (stale) return failed(stale);
      const all = this.records.catalogue(type);
      const problems =
        type === 'Place'
          ? resolvePlaceChange(this.store, after, all, lookups(this.store), root).problems
          : checkCatalogueRecord(type, after, all, root).problems;
      if (problems.length) return failed(problems);
      const result = await this.storage.commit({
        entity: { type, slug },
        kind: creating ? 'CREATED' : 'UPDATED',
        expectedRevision: creating ? null : input.expectedRevision!,
        editor,
        note: input.note ?? null,
        before,
        after,
      });
      if ('code' in result) return failed(this.refused(type, slug, result, [...root, 'slug'], input.expectedRevision ?? null));
      return { record: read(slug), userErrors: [] };
    });
  }

  private async commitEvent(editor: string, kind: ChangeKind, slug: string, expectedRevision: number | null, before: FileForm | null, after: FileForm, note: string | null, slugField = ['slug']): Promise<EditResult<Event>> {
    const result = await this.storage.commit({ entity: { type: 'Event', slug }, kind, expectedRevision, editor, note, before, after });
    if ('code' in result) return failed(this.refused('Event', slug, result, slugField, expectedRevision));
    return { record: this.store.event(slug) ?? null, userErrors: [] };
  }

  private duplicate(type: EntityType, slug: string, field: string[]): UserError[] {
    return [{ field, message: `"${slug}" is already the slug of ${withArticle(NOUN[type])}; choose another slug, or update that ${NOUN[type]} with its expectedRevision`, code: 'DUPLICATE_SLUG' }];
  }

  private refused(type: EntityType, slug: string, refusal: { code: string; currentRevision?: number }, slugField: string[], expected: number | null): UserError[] {
    if (refusal.code === 'DUPLICATE_SLUG') return this.duplicate(type, slug, slugField);
    if (refusal.code === 'NOT_FOUND') return this.notFound(type, slug, slugField);
    return this.stale(type, slug, refusal.currentRevision!, expected);
  }

  private stale(type: EntityType, slug: string, current: number, expected: number | null): UserError[] {
    return [{ field: ['expectedRevision'], message: `${NOUN[type]} "${slug}" is at revision ${current}, not ${expected}; read it again and apply the change to revision ${current}`, code: 'STALE_REVISION' }];
  }

  /** The stale-revision error when the store already shows the record at another revision (the storage checks again). */
  private staleNow(type: EntityType, slug: string, expected: number): UserError[] | null {
    const { store } = this;
    const current = (type === 'Event' ? store.event(slug) : type === 'Place' ? store.place(slug) : type === 'Actor' ? store.actor(slug) : store.source(slug))?.revision;
    return current !== undefined && current !== expected ? this.stale(type, slug, current, expected) : null;
  }
}
