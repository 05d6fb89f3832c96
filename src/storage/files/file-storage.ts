/**
 * The embedded store: the data folder (`EVENTS_DIR`) is the truth. A commit appends its change to the journal
 * (`history/journal.ndjson`, flushed to disk) and then replaces the record's file atomically, in the format people
 * write by hand (a bulk NDJSON file is rewritten in the background instead, once for all its pending lines); a start
 * cuts a torn journal line, finishes what a crash cut short, and turns changes made to the folder while stopped into
 * changes by `files`; a watcher does the same while running.
 */
import { watch, type FSWatcher, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ChangeKind, CommittedChange, EntityType, FileForm } from '../../data/change';
import type { Dataset } from '../../data/dataset';
import { CATALOGUE_OF, catalogueFileText, changedFields, eventFileName, eventFileText, sameData } from '../../data/file-form';
import { loadDataset } from '../../data/load-dataset';
import { DataError, formatProblem } from '../../data/problems';
import type { ChangeListener, CommitRefusal, OpenedStorage, ProposedChange, Storage } from '../storage';
import { prepareFile, removeStaleTempFiles, syncDir } from './atomic-write';
import { Baseline } from './baseline';
import { BulkLines } from './bulk-lines';
import { finishUnflushed } from './bulk-rewrite';
import { BulkWriter } from './bulk-writer';
import { Checkpoints, type CheckpointState } from './checkpoint';
import { catalogueTypeOf, dataFileNames, HISTORY_DIR, isDataFile, keyOf, readFileRecords, statKeyOf, type RecordKey } from './folder';
import { Journal, type JournalEntry } from './journal';

/** How a file storage is set up. */
export interface FileStorageOptions {
  /** The data folder. */
  dir: string;
  /** Whether to pick up hand edits while running (default true). */
  watch?: boolean;
  /** How long the folder must be quiet before hand edits are picked up, in ms (default 300). */
  debounceMs?: number;
  /** Where refused hand edits and recoveries are reported (default: standard error, one line each). */
  log?: (level: 'info' | 'warn', message: string) => void;
  /** The clock (tests set it). */
  now?: () => Date;
  /** How long bulk files must be free of commits before their pending lines are written, in ms (default 1000). */
  bulkQuietMs?: number;
}

/** The editor name of changes found in the folder (hand edits). */
export const FILES_EDITOR = 'files';

type CatalogueType = Exclude<EntityType, 'Event'>;

/** What the journal says of a record Dateline changed: its last revision and where it lives. */
interface Latest {
  revision: number;
  at: string;
  after: FileForm;
  file: string;
}

/** A record's changes in one group commit: where it was before the group, where it goes, and its last change. */
interface Staged {
  from: string | null;
  to: string;
  bulk: boolean;
  /** The record as it was before the group's first change of it. */
  before: FileForm | null;
  change: CommittedChange;
  changes: CommittedChange[];
}

/** The data folder as a {@link Storage}. */
export class FileStorage implements Storage {
  private readonly dir: string;
  private readonly historyDir: string;
  private readonly baseline: Baseline;
  private readonly log: NonNullable<FileStorageOptions['log']>;
  private readonly now: () => Date;
  private journal: Journal | null = null;
  private readonly latest = new Map<RecordKey, Latest>();
  /** Stat key of each data file as Dateline last wrote or accepted it: a file that differs was edited by hand. */
  private readonly known = new Map<string, string>();
  private catalogues: Record<CatalogueType, FileForm[]> = { Place: [], Actor: [], Source: [] };
  private loadedEvents: { get(slug: string): { date: string } | undefined } = new Map();
  /** Where each event of a bulk file is; set by open. */
  private bulk: BulkLines | null = null;
  private warming: Promise<void> = Promise.resolve();
  /** Lines of bulk files the journal has and the files do not have yet, and their background rewrite. */
  private readonly writer: BulkWriter;
  private readonly listeners: ChangeListener[] = [];
  /** Commits and hand-edit scans run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private readonly pending = new Set<string>();
  private scanTimer: NodeJS.Timeout | null = null;
  private readonly checkpoints: Checkpoints;
  /** The last change whose file is renamed into place. */
  private renamedSeq = 0;

  constructor(private readonly options: FileStorageOptions) {
    this.dir = path.resolve(options.dir);
    this.historyDir = path.join(this.dir, HISTORY_DIR);
    this.baseline = new Baseline(path.join(this.historyDir, 'baseline'));
    this.log = options.log ?? ((level, message) => process.stderr.write(`${level}: ${message}\n`));
    this.now = options.now ?? (() => new Date());
    this.checkpoints = new Checkpoints(this.dir, path.join(this.historyDir, 'state.json'), () => this.checkpointState(), this.log);
    this.writer = new BulkWriter({
      dir: this.dir,
      known: this.known,
      quietMs: options.bulkQuietMs ?? 1000,
      exclusive: (step) => this.exclusive(step),
      pickUp: async (name) => void (await this.scan([name], true)),
      lines: () => this.bulk,
      written: () => this.checkpoints.soon(),
      log: this.log,
    });
  }

  /** Recovers, loads and checks the folder, and finds the changes made while stopped. */
  async open(): Promise<OpenedStorage> {
    await fs.mkdir(this.historyDir, { recursive: true });
    const { journal, entries, cutBytes } = await Journal.open(path.join(this.historyDir, 'journal.ndjson'));
    this.journal = journal;
    if (cutBytes) this.log('info', `${HISTORY_DIR}/journal.ndjson: cut a torn last line (${cutBytes} bytes) of a change never acknowledged`);
    for (const name of await removeStaleTempFiles(this.dir)) this.log('info', `${name}: removed a temporary file a crash left`);
    for (const { change, file } of entries) this.remember(change, file);
    await this.readCatalogues();
    const state = await this.checkpoints.read();
    await finishUnflushed(this.dir, entries.slice(state.checkpointSeq), (entry) => this.rollForward(entry), this.log);
    this.renamedSeq = entries.length;
    const dataset = await loadDataset(this.dir);
    this.loadedEvents = dataset.eventsBySlug ?? new Map(dataset.events.map((e) => [e.slug, e]));
    this.bulk = new BulkLines(this.dir, dataset.locate ?? (() => undefined));
    await this.readCatalogues();
    const names = await dataFileNames(this.dir);
    let offline: CommittedChange[] = [];
    if (!(await this.baseline.exists())) {
      await this.baseline.create(this.dir, names);
      for (const name of names) this.known.set(name, (await statKeyOf(path.join(this.dir, name)))!);
    } else {
      for (const [name, key] of Object.entries(state.files)) this.known.set(name, key);
      offline = await this.scan(names, false);
    }
    for (const [key, l] of this.latest) setMeta(dataset, key, l);
    await this.checkpoints.save();
    if (this.options.watch ?? true) this.startWatching();
    // Where every line of the bulk files starts, so that the first edit of each is not the one to read it whole.
    this.warming = this.bulk.warm().catch(() => undefined);
    return { dataset, changes: [...entries.map((e) => e.change), ...offline] };
  }

  /** How many times commits have flushed the journal to disk (a group commit flushes it once for all its changes). */
  get journalFlushes(): number {
    return this.journal?.flushes ?? 0;
  }

  /** Resolves once the start's background work (finding where each line of the bulk files starts) is done. */
  settled(): Promise<void> {
    return this.warming;
  }

  /** Commits one change: journal first (flushed), then the record's file, then the listeners. */
  async commit(proposal: ProposedChange): Promise<CommittedChange | CommitRefusal> {
    return (await this.commitAll([proposal]))[0];
  }

  /**
   * Commits proposals in order as one group: their journal lines in one write and one fsync, each record's file
   * written beside it, then the listeners with every change of the group (see {@link Storage.commitAll}).
   */
  commitAll(proposals: readonly ProposedChange[]): Promise<(CommittedChange | CommitRefusal)[]> {
    return this.exclusive(async () => {
      const refused = new Set<RecordKey>();
      if (proposals.length < 2 || proposals.every((p) => p.entity.type === 'Event')) return this.commitGroup(proposals, refused);
      // A catalogue is one file rewritten whole from the last one committed: its proposals go one group each.
      const results: (CommittedChange | CommitRefusal)[] = [];
      for (const proposal of proposals) results.push(...(await this.commitGroup([proposal], refused)));
      return results;
    });
  }

  /** One group of {@link commitAll}; `refused` collects the records refused so far, whose later proposals fail too. */
  private async commitGroup(proposals: readonly ProposedChange[], refused: Set<RecordKey>): Promise<(CommittedChange | CommitRefusal)[]> {
    // A hand edit of a record's file not yet picked up is picked up first: it may make a proposal stale.
    const touched = new Set<string>();
    for (const proposal of proposals) for (const name of Object.values(await this.placeOf(proposal))) if (typeof name === 'string') touched.add(name);
    if (await this.anyChanged([...touched])) await this.scan([...touched], true);
    const staged = new Map<RecordKey, Staged>();
    const results: (CommittedChange | CommitRefusal)[] = [];
    let seq = this.journal!.seq;
    for (const proposal of proposals) {
      const { type, slug } = proposal.entity;
      const key = keyOf(type, slug);
      const earlier = staged.get(key);
      const current = earlier?.change.revision ?? this.revisionOf(type, slug);
      const refusal = refused.has(key) ? { code: 'STALE_REVISION' as const, currentRevision: current } : refusalOf(proposal, current);
      if (refusal) {
        refused.add(key);
        results.push(refusal);
        continue;
      }
      const place = await this.placeOf(proposal, earlier?.to);
      const change = this.nextChange(proposal.entity, proposal.kind, proposal.editor, proposal.note, proposal.before, proposal.after, current + 1, ++seq);
      // The file is written once per record, from where it was before the group to where the last change puts it.
      staged.set(key, { ...place, from: earlier ? earlier.from : place.from, before: earlier ? earlier.before : proposal.before, change, changes: [...(earlier?.changes ?? []), change] });
      results.push(change);
    }
    await this.writeGroup([...staged.values()]);
    return results;
  }

  /**
   * Makes staged changes durable: every journal line in one write and one fsync, at the same time as each record's
   * new file is written and flushed under a temporary name; only then are the files renamed into place, so a file
   * is never ahead of the journal. A bulk record is durable once journaled; its file gets the line in the background.
   */
  private async writeGroup(staged: Staged[]): Promise<void> {
    const changes = staged.flatMap((s) => s.changes).sort((a, b) => a.seq - b.seq);
    if (!changes.length) return;
    const fileOf = new Map(staged.flatMap((s) => s.changes.map((c) => [c.seq, s.to] as const)));
    const own = staged.filter((s) => !s.bulk);
    const [, replaces] = await Promise.all([
      this.journal!.appendAll(changes.map((change) => ({ change, file: fileOf.get(change.seq)! }))),
      Promise.all(own.map((s) => this.prepareRecord(s.change.entity.type, s.change.entity.slug, s.change.after, s.from, s.to))),
    ]);
    for (const replace of replaces) await replace();
    const bulk = staged.filter((x) => x.bulk);
    for (const s of bulk) {
      const { slug } = s.change.entity;
      const landed = this.latest.get(keyOf('Event', slug))?.after ?? s.before;
      for (const change of s.changes) this.writer.pending.add(s.to, slug, change.seq, change.after, landed);
    }
    if (bulk.length) this.writer.soon();
    for (const change of changes) this.remember(change, fileOf.get(change.seq)!);
    this.renamedSeq = changes[changes.length - 1].seq;
    this.checkpoints.soon();
    this.emit(changes);
  }

  /** Where a proposal's record is (`from`, or `at` when a change earlier in its group put it there) and goes (`to`). */
  private async placeOf(proposal: ProposedChange, at?: string): Promise<{ from: string | null; to: string; bulk: boolean }> {
    const { type, slug } = proposal.entity;
    const from = at ?? (await this.fileOf(type, slug));
    const bulk = type === 'Event' && from !== null && from.endsWith('.ndjson');
    const to = type !== 'Event' ? CATALOGUE_OF[type].file : bulk ? from : eventFileName(proposal.after);
    return { from, to, bulk };
  }

  /** Adds a listener for every change committed from now on. */
  onChanges(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** Stops watching, writes the pending lines of bulk files, waits for what is under way and closes the journal. */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    if (this.scanTimer) clearTimeout(this.scanTimer);
    this.checkpoints.stop();
    this.writer.stop();
    await this.writer.writeAll().catch((err: Error) => this.log('warn', `writing the pending lines of bulk files failed (the journal has them): ${err.stack ?? err}`));
    await this.warming;
    await this.exclusive(async () => {
      await this.checkpoints.save();
      await this.journal?.close();
      this.journal = null;
    });
  }

  /** The record as its file holds it now, or null when there is none; what an edit starts from. */
  async fileForm(type: EntityType, slug: string): Promise<FileForm | null> {
    if (type !== 'Event') return this.catalogues[type].find((r) => r.slug === slug) ?? null;
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.after;
    const file = await this.fileOf(type, slug);
    if (!file) return null;
    if (!file.endsWith('.ndjson')) return (await readFileRecords(path.join(this.dir, file))).find((r) => r.slug === slug)?.record ?? null;
    return (await this.bulk!.find(slug))?.record ?? null;
  }

  /** Every record of a catalogue, in file form and file order. */
  catalogue(type: CatalogueType): FileForm[] {
    return [...this.catalogues[type]];
  }

  /** Picks up hand edits now (what the watcher does once the folder is quiet); resolves with the changes made. */
  rescan(): Promise<CommittedChange[]> {
    return this.exclusive(async () => this.scan([...new Set([...(await dataFileNames(this.dir)), ...this.known.keys()])], true));
  }

  /** What a checkpoint saves now: never past the first change a bulk file does not have yet. */
  private checkpointState(): CheckpointState | null {
    if (!this.journal) return null;
    const oldest = this.writer.pending.oldestSeq();
    return { checkpointSeq: oldest === null ? this.renamedSeq : Math.min(this.renamedSeq, oldest - 1), files: Object.fromEntries(this.known) };
  }

  private exclusive<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private emit(changes: CommittedChange[]): void {
    if (!changes.length) return;
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (err) {
        this.log('warn', `a change listener failed: ${(err as Error).stack ?? String(err)}`);
      }
    }
  }

  private remember(change: CommittedChange, file: string): void {
    this.latest.set(keyOf(change.entity.type, change.entity.slug), { revision: change.revision, at: change.at, after: change.after, file });
  }

  /** The record's revision now: 0 when it does not exist. */
  private revisionOf(type: EntityType, slug: string): number {
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.revision;
    if (type === 'Event') return this.loadedEvents.get(slug) ? 1 : 0;
    return this.catalogues[type].some((r) => r.slug === slug) ? 1 : 0;
  }

  private nextChange(entity: CommittedChange['entity'], kind: ChangeKind, editor: string, note: string | null, before: FileForm | null, after: FileForm, revision: number, seq = this.journal!.seq + 1): CommittedChange {
    return {
      seq,
      at: this.now().toISOString(),
      editor,
      kind,
      entity,
      revision,
      note,
      changedFields: changedFields(entity.type, before, after),
      before,
      after,
    };
  }

  /** The data file that holds a record now, or null when none does. */
  private async fileOf(type: EntityType, slug: string): Promise<string | null> {
    if (type !== 'Event') return this.revisionOf(type, slug) ? CATALOGUE_OF[type].file : null;
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.file;
    const loaded = this.loadedEvents.get(slug);
    if (!loaded) return null;
    const own = `${loaded.date}-${slug}.json`;
    // A file Dateline knows is there (a removal by hand is picked up and forgotten) needs no look at the disk.
    if (this.known.has(own) || (await statKeyOf(path.join(this.dir, own))) !== null) return own;
    return (await this.bulk!.find(slug))?.file ?? null;
  }

  /**
   * Writes a record's new file `to` under a temporary name and flushes it; the returned step renames it into place
   * (and removes the record's old own file `from` when its date moved it). The folder is flushed at the next
   * checkpoint: until then a start finishes the step again from the journal.
   */
  private async prepareRecord(type: EntityType, slug: string, after: FileForm, from: string | null, to: string): Promise<() => Promise<void>> {
    const file = path.join(this.dir, to);
    let list: FileForm[] | null = null;
    let prepared;
    if (type !== 'Event') {
      list = [...this.catalogues[type]];
      const at = list.findIndex((r) => r.slug === slug);
      if (at >= 0) list[at] = after;
      else list.push(after);
      prepared = await prepareFile(file, catalogueFileText(type, list));
    } else {
      prepared = await prepareFile(file, eventFileText(after));
    }
    return async () => {
      await prepared.replace();
      if (list && type !== 'Event') this.catalogues[type] = list;
      if (type === 'Event' && from !== null && from !== to && from.endsWith('.json')) {
        await fs.rm(path.join(this.dir, from), { force: true });
        this.known.delete(from);
      }
      this.known.set(to, (await statKeyOf(file))!);
    };
  }

  /** Finishes a journaled change whose file a crash (or a power cut before the folder was flushed) left behind. */
  private async rollForward({ change, file }: JournalEntry): Promise<void> {
    const { type, slug } = change.entity;
    const inFile = (await readFileRecords(path.join(this.dir, file))).find((r) => r.type === type && r.slug === slug)?.record ?? null;
    const from = type === 'Event' && change.before && !file.endsWith('.ndjson') ? eventFileName(change.before) : null;
    const oldLeft = from !== null && from !== file && (await statKeyOf(path.join(this.dir, from))) !== null;
    const landed = inFile !== null && sameData(inFile, change.after);
    const notYet = change.before === null ? inFile === null : inFile !== null ? sameData(inFile, change.before) : oldLeft;
    if (landed && !oldLeft) return;
    if (!landed && !notYet) return; // edited by hand since: the scan at start finds it
    await (await this.prepareRecord(type, slug, change.after, from, file))();
    await syncDir(this.dir);
    this.log('info', `${file}: finished change ${change.seq} (${type} ${slug}), which a crash had cut short`);
  }

  private async readCatalogues(): Promise<void> {
    for (const type of ['Place', 'Actor', 'Source'] as const) {
      this.catalogues[type] = (await readFileRecords(path.join(this.dir, CATALOGUE_OF[type].file))).map((r) => r.record);
    }
  }

  private async anyChanged(names: string[]): Promise<boolean> {
    const keys = await Promise.all(names.map((name) => statKeyOf(path.join(this.dir, name))));
    return keys.some((key, i) => key !== (this.known.get(names[i]) ?? null));
  }

  /**
   * Turns hand edits of the files `names` into changes by `files`, when the whole folder still loads (`check`;
   * at start it was just loaded); otherwise logs every problem and changes nothing.
   */
  private async scan(names: string[], check: boolean): Promise<CommittedChange[]> {
    const changed: string[] = [];
    for (const name of names) {
      const key = await statKeyOf(path.join(this.dir, name));
      if (key !== (this.known.get(name) ?? null)) changed.push(name);
    }
    if (!changed.length) return [];
    if (check) {
      try {
        await loadDataset(this.dir);
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        this.log('warn', `refused the hand edit of ${changed.join(', ')}; still serving what was there before. ${err.problems.length} problem(s):`);
        for (const p of err.problems) this.log('warn', formatProblem(p));
        return [];
      }
    }
    const changes: CommittedChange[] = [];
    for (const name of changed) {
      const file = path.join(this.dir, name);
      const stat = await statKeyOf(file);
      const first = name.endsWith('.ndjson') ? await this.baseline.fileRecords(name) : null;
      for (const { type, slug, record } of await readFileRecords(file)) {
        const key = keyOf(type, slug);
        const pending = this.writer.pending.get(name, slug);
        if (pending) {
          // A line still as Dateline last wrote it merely waits for its rewrite; one changed by hand replaces it.
          if (pending.landed !== null && sameData(pending.landed, record)) continue;
          this.writer.pending.drop(name, slug);
        }
        const before = this.latest.get(key)?.after ?? first?.get(slug) ?? (await this.baseline.record(type, slug));
        if (before !== null && sameData(before, record)) continue;
        const revision = before === null ? 1 : this.revisionOf(type, slug) + 1;
        const change = this.nextChange({ type, slug }, kindOf(before, record), FILES_EDITOR, null, before, record, revision);
        await this.journal!.append({ change, file: name });
        this.renamedSeq = change.seq;
        this.remember(change, name);
        changes.push(change);
      }
      if (stat === null && this.known.has(name)) {
        this.log('warn', `${name} was removed; what it held is served until the next start (retract an event instead of removing it)`);
      }
      if (stat === null) this.known.delete(name);
      else this.known.set(name, stat);
      if (name.endsWith('.ndjson')) this.bulk?.forget(name);
    }
    if (changed.some((n) => catalogueTypeOf(n) !== null)) await this.readCatalogues();
    if (changed.some((n) => this.writer.pending.snapshot(n).size)) this.writer.soon();
    await this.checkpoints.save();
    this.emit(changes);
    return changes;
  }

  private startWatching(): void {
    this.watcher = watch(this.dir, (_event, name) => {
      if (!name || !isDataFile(String(name))) return;
      this.pending.add(String(name));
      if (this.scanTimer) clearTimeout(this.scanTimer);
      this.scanTimer = setTimeout(() => {
        const names = [...this.pending];
        this.pending.clear();
        this.exclusive(() => this.scan(names, true)).catch((err: Error) => this.log('warn', `picking up hand edits failed: ${err.stack ?? err}`));
      }, this.options.debounceMs ?? 300);
    });
    this.watcher.on('error', (err) => this.log('warn', `watching ${this.dir} failed: ${err.message}`));
  }
}

/** Why a proposal cannot be committed over a record now at revision `current` (0: none), or null when it can. */
function refusalOf(proposal: ProposedChange, current: number): CommitRefusal | null {
  if (proposal.expectedRevision === null) return current > 0 ? { code: 'DUPLICATE_SLUG' } : null;
  if (current === 0) return { code: 'NOT_FOUND' };
  return current !== proposal.expectedRevision ? { code: 'STALE_REVISION', currentRevision: current } : null;
}

/** What a hand edit did: created, or retracted/restored (the retraction appeared or went), or else updated. */
function kindOf(before: FileForm | null, after: FileForm): ChangeKind {
  if (before === null) return 'CREATED';
  if (!before.retraction && after.retraction) return 'RETRACTED';
  if (before.retraction && !after.retraction) return 'RESTORED';
  return 'UPDATED';
}

/** Sets a loaded record's revision and last change time from the journal. */
function setMeta(dataset: Dataset, key: RecordKey, { revision, at }: Latest): void {
  const [type, slug] = key.split(/:(.*)/s) as [EntityType, string];
  const lists = { Event: dataset.events, Place: dataset.places, Actor: dataset.actors, Source: dataset.sources };
  const record = type === 'Event' && dataset.eventsBySlug ? dataset.eventsBySlug.get(slug) : (lists[type] as { slug: string }[]).find((r) => r.slug === slug);
  if (record) Object.assign(record, { revision, updatedAt: at });
}
