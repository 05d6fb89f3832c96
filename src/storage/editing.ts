/**
 * The editing service: every mutation is one straight line, checked one at a time in this process: read the record as
 * it is, check the proposed record with the one validation of `data/` (the loader's rules and words), commit it to the
 * storage (durable before it resolves; the storage's listeners put it into the store and publish it), and answer
 * with the record as the store now serves it, or with user errors and nothing changed. An event edit checked while
 * earlier ones are still being committed is checked against them too and joins the next group commit
 * (`group-commit.ts`); a catalogue edit waits until every earlier edit is durable and holds the next ones until it is.
 * What each mutation takes is in `edit-inputs.ts`; what it answers, and the words of the service's own user errors, in
 * `edit-results.ts`.
 */
import type { ChangeKind, EntityType, FileForm } from '../data/change';
import type { Actor, Event, Place, Source } from '../data/dataset';
import { ordered, sameData } from '../data/file-form';
import { checkCatalogueRecord, checkEvent, type EventLookups } from '../data/validate-input';
import { EditAdmission } from './edit-admission';
import { plain, type CreateEventInput, type Editor, type RestoreEventInput, type RetractEventInput, type SaveRecordInput, type UpdateEventInput } from './edit-inputs';
import { duplicate, failed, invalid, notFound, NOUN, refusedReference, stale, type EditResult, type UserError } from './edit-results';
import { GroupCommit, type GroupRefusal, type GroupStorage, type PendingEdit } from './group-commit';
import type { ProposedChange } from './storage';
import { catalogueRecordsOf, lookups, resolvePlaceChange, storeFileForm, type StoreReads } from './store-records';

/** Where the current records come from in file form; the file storage has them exactly, the store by derivation. */
export interface RecordSource {
  fileForm(type: EntityType, slug: string): Promise<FileForm | null>;
  catalogue(type: Exclude<EntityType, 'Event'>): FileForm[];
}

/** What an edit's checks come to: an answer now, or one once its group commit is durable. */
type Checked<T> = { answer: EditResult<T> } | { later: Promise<EditResult<T>> };
const now = <T>(answer: EditResult<T>): Checked<T> => ({ answer });

/** How the editing service is set up. */
export interface EditingOptions {
  /** Most edits waiting for their turn; default `DEFAULT_MAX_WAITING_EDITS`. */
  maxWaiting?: number;
}

/** What an edit that never started answers: nothing changed (the request's own error says why). */
const NOT_STARTED: EditResult<never> = { record: null, userErrors: [] };

/** Validates and commits edits; the one way records change through the API. */
export class EditingService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly records: RecordSource;
  private readonly group: GroupCommit;
  private readonly admission: EditAdmission;

  /**
   * `store` is read (the storage's listener must apply committed changes to it before `commit` resolves); `records`
   * gives the current file forms (default: worked out from the store).
   */
  constructor(
    private readonly store: StoreReads,
    storage: GroupStorage,
    records?: RecordSource,
    options: EditingOptions = {},
  ) {
    this.group = new GroupCommit(storage);
    this.admission = new EditAdmission(options.maxWaiting);
    this.records = records ?? {
      fileForm: async (type, slug) => storeFileForm(store, type, slug),
      catalogue: (type) => catalogueRecordsOf(store, type),
    };
  }

  /** How many accepted edits wait for their group commit to be durable (the group committing and the next). */
  get pendingEdits(): number {
    return this.group.waiting;
  }

  /** Creates an event; its slug must be new. */
  createEvent(by: Editor, input: CreateEventInput): Promise<EditResult<Event>> {
    return this.serial(by, async (editor) => {
      const after = ordered('Event', plain(input.event) as FileForm);
      delete after.retraction;
      const { look, deps } = this.eventLookups();
      const { event, problems } = checkEvent(after, look, ['event']);
      if (problems.length) return now(failed(problems));
      const slug = String(after.slug);
      if (look.event(slug)) return now(failed(duplicate('Event', slug, ['event', 'slug'])));
      return this.commitEvent(editor, 'CREATED', slug, null, null, after, input.note ?? null, { event, deps }, ['event', 'slug']);
    });
  }

  /** Changes some fields of an event at `expectedRevision`. */
  updateEvent(by: Editor, input: UpdateEventInput): Promise<EditResult<Event>> {
    const read = this.readAhead(input.slug);
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision, read);
      if (Array.isArray(before)) return now(failed(before));
      const patch = input.patch as Record<string, unknown>;
      const errors: UserError[] = [];
      for (const key of ['slug', 'retraction']) {
        if (patch[key] !== undefined) errors.push(invalid(['patch', key], `${key}: cannot be changed by a patch${key === 'slug' ? '; a slug never changes' : '; use retractEvent or restoreEvent'}`));
      }
      if (errors.length) return now(failed(errors));
      const merged: FileForm = { ...before };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        if (value === null) delete merged[key];
        else merged[key] = plain(value);
      }
      const after = ordered('Event', merged);
      // A patch that changes nothing is no revision: the record is answered as it is, and the feed stays as it was.
      if (sameData(before, after)) return now({ record: this.store.event(input.slug) ?? null, userErrors: [] });
      const { look, deps } = this.eventLookups();
      const { event, problems } = checkEvent(after, look, ['patch']);
      if (problems.length) return now(failed(problems));
      return this.commitEvent(editor, 'UPDATED', input.slug, input.expectedRevision, before, after, input.note, { event, deps });
    });
  }

  /** Retracts a published event: it leaves lists, counts and exports, and says who, when and why. */
  retractEvent(by: Editor, input: RetractEventInput, at = new Date()): Promise<EditResult<Event>> {
    const read = this.readAhead(input.slug);
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision, read);
      if (Array.isArray(before)) return now(failed(before));
      if (before.retraction) return now(failed([invalid(['slug'], `event "${input.slug}" is already retracted; restoreEvent publishes it again`)]));
      if (!input.reason?.trim()) return now(failed([invalid(['reason'], 'reason: must be a non-empty string, got ""')]));
      const after = ordered('Event', { ...before, retraction: { at: at.toISOString(), editor, reason: input.reason } });
      const { look, deps } = this.eventLookups();
      const { event, problems } = checkEvent(after, look, []);
      if (problems.length) return now(failed(problems));
      return this.commitEvent(editor, 'RETRACTED', input.slug, input.expectedRevision, before, after, input.reason, { event, deps });
    });
  }

  /** Publishes a retracted event again. */
  restoreEvent(by: Editor, input: RestoreEventInput): Promise<EditResult<Event>> {
    const read = this.readAhead(input.slug);
    return this.serial(by, async (editor) => {
      const before = await this.current(input.slug, input.expectedRevision, read);
      if (Array.isArray(before)) return now(failed(before));
      if (!before.retraction) return now(failed([invalid(['slug'], `event "${input.slug}" is not retracted; there is nothing to restore`)]));
      const after: FileForm = { ...before };
      delete after.retraction;
      return this.commitEvent(editor, 'RESTORED', input.slug, input.expectedRevision, before, after, input.note, { event: null, deps: [] });
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

  /**
   * Starts reading an event's file form before the edit's turn: a read from disk in its turn would hold up every edit
   * behind it. The read is good in its turn if the event is still at the revision it was read at.
   */
  private readAhead(slug: string): { revision: number | undefined; form: Promise<FileForm | null> } {
    const form = this.records.fileForm('Event', slug);
    form.catch(() => undefined); // read again in its turn, where a failure is the edit's
    return { revision: this.store.event(slug)?.revision, form };
  }

  /** The event's file form (as the last accepted edit makes it), or why it cannot be edited at `expectedRevision`. */
  private async current(slug: string, expectedRevision: number, read: ReturnType<EditingService['readAhead']>): Promise<FileForm | UserError[]> {
    const still = read.revision === this.store.event(slug)?.revision;
    const before = this.group.pendingOf('Event', slug)?.after ?? (still ? await read.form.catch(() => this.records.fileForm('Event', slug)) : await this.records.fileForm('Event', slug));
    if (!before) return notFound('Event', slug);
    return this.staleNow('Event', slug, expectedRevision) ?? before;
  }

  /**
   * Runs `step` once the edits before it are checked, unless `by` may no longer start one by then (its request passed
   * its deadline while it waited, and will be answered TIMEOUT): then nothing changes. An edit whose turn would come
   * after its deadline is refused at once with `EditQueueFull` (`edit-admission.ts`), and changes nothing either.
   */
  private serial<R>(by: Editor, step: (editor: string) => Promise<Checked<R>>): Promise<EditResult<R>> {
    const { name, mayStart, deadline } = typeof by === 'string' ? { name: by, mayStart: undefined, deadline: undefined } : by;
    try {
      this.admission.enter(deadline);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.queue.then(() => (mayStart && !mayStart() ? now(NOT_STARTED) : step(name))).finally(() => this.admission.leave());
    this.queue = run.catch(() => undefined);
    return run.then((checked) => ('answer' in checked ? checked.answer : checked.later));
  }

  /** Lookups for an event's checks: the store, and events as accepted edits not yet durable make them (`deps`). */
  private eventLookups(): { look: EventLookups; deps: PendingEdit[] } {
    const deps: PendingEdit[] = [];
    const look = lookups(this.store);
    const stored = look.event;
    look.event = (slug) => {
      const pending = this.group.pendingOf('Event', slug);
      if (!pending) return stored(slug);
      deps.push(pending);
      return pending.event ?? stored(slug);
    };
    return { look, deps };
  }

  private async saveCatalogueRecord<T>(by: Editor, type: Exclude<EntityType, 'Event'>, input: SaveRecordInput, read: (slug: string) => T | null): Promise<EditResult<T>> {
    return this.serial(by, async (editor) => now(await this.saveCatalogueNow(editor, type, input, read)));
  }

  /** A catalogue edit, once every earlier edit is durable (it reads the whole catalogue and events at its places). */
  private async saveCatalogueNow<T>(editor: string, type: Exclude<EntityType, 'Event'>, input: SaveRecordInput, read: (slug: string) => T | null): Promise<EditResult<T>> {
    await this.group.settled();
    const root = [NOUN[type]];
    const after = ordered(type, plain(input.record) as FileForm);
    const slug = String(after.slug);
    const creating = input.expectedRevision === null || input.expectedRevision === undefined;
    const before = await this.records.fileForm(type, slug);
    if (creating && before) return failed(duplicate(type, slug, [...root, 'slug']));
    if (!creating && !before) return failed(notFound(type, slug, [...root, 'slug']));
    const staleError = creating ? null : this.staleNow(type, slug, input.expectedRevision!);
    if (staleError) return failed(staleError);
    const all = this.records.catalogue(type);
    const problems =
      type === 'Place'
        ? resolvePlaceChange(this.store, after, all, lookups(this.store), root).problems
        : checkCatalogueRecord(type, after, all, root).problems;
    if (problems.length) return failed(problems);
    const proposal: ProposedChange = { entity: { type, slug }, kind: creating ? 'CREATED' : 'UPDATED', expectedRevision: creating ? null : input.expectedRevision!, editor, note: input.note ?? null, before, after };
    const result = await this.group.propose(proposal, (input.expectedRevision ?? 0) + 1, null, []);
    if ('code' in result) return failed(this.refused(type, slug, result, [...root, 'slug'], input.expectedRevision ?? null));
    return { record: read(slug), userErrors: [] };
  }

  /**
   * Hands a checked event edit to the next group commit; it is answered once that group is durable. `checked` is the
   * event as checked and the pending edits the checks read, besides the event's own (if it has one).
   */
  private commitEvent(editor: string, kind: ChangeKind, slug: string, expectedRevision: number | null, before: FileForm | null, after: FileForm, note: string | null, checked: { event: Event | null; deps: PendingEdit[] }, slugField = ['slug']): Checked<Event> {
    const own = this.group.pendingOf('Event', slug);
    const proposal: ProposedChange = { entity: { type: 'Event', slug }, kind, expectedRevision, editor, note, before, after };
    const committed = this.group.propose(proposal, (expectedRevision ?? 0) + 1, checked.event, own ? [own, ...checked.deps] : checked.deps);
    return {
      later: committed.then((result) =>
        'code' in result ? failed(this.refused('Event', slug, result, slugField, expectedRevision)) : { record: this.store.event(slug) ?? null, userErrors: [] },
      ),
    };
  }

  private refused(type: EntityType, slug: string, refusal: GroupRefusal, slugField: string[], expected: number | null): UserError[] {
    if (refusal.code === 'DUPLICATE_SLUG') return duplicate(type, slug, slugField);
    if (refusal.code === 'NOT_FOUND') return notFound(type, slug, slugField);
    if (refusal.code === 'STALE_REVISION') return stale(type, slug, refusal.currentRevision, expected);
    // It was checked against an edit the storage then refused: of the same record (so its revision is gone), or of an
    // event it refers to.
    const { on } = refusal;
    if (on.type === type && on.slug === slug) return this.staleNow(type, slug, expected ?? 0) ?? notFound(type, slug, slugField);
    return refusedReference(on);
  }

  /**
   * The stale-revision error when the store (or the last accepted edit of the record, not yet durable) shows the record
   * at another revision; the storage checks again.
   */
  private staleNow(type: EntityType, slug: string, expected: number): UserError[] | null {
    const { store } = this;
    const current = this.group.pendingOf(type, slug)?.revision ?? (type === 'Event' ? store.event(slug) : type === 'Place' ? store.place(slug) : type === 'Actor' ? store.actor(slug) : store.source(slug))?.revision;
    return current !== undefined && current !== expected ? stale(type, slug, current, expected) : null;
  }
}
