/**
 * The embedded store: the data folder (`EVENTS_DIR`) is the truth. A commit appends its change to the journal
 * (`history/journal.ndjson`, flushed to disk) and then replaces the record's file atomically, in the format people
 * write by hand (a bulk NDJSON file is rewritten in the background instead, once for all its pending lines); a start
 * cuts a torn journal line, finishes what a crash cut short, and turns changes made to the folder while stopped into
 * changes by `files`; a watcher does the same while running (`hand-edits.ts`). What is known of each record (its
 * revision, last form and file) is kept in `record-index.ts`; a record's own file is written by `record-files.ts`.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ChangeKind, CommittedChange, EntityType, FileForm } from '../../data/change';
import { CATALOGUE_OF, changedFields, eventFileName } from '../../data/file-form';
import { loadDataset } from '../../data/load-dataset';
import type { ChangeListener, CommitRefusal, OpenedStorage, ProposedChange, Storage } from '../storage';
import { removeStaleTempFiles } from './atomic-write';
import { finishUnflushed } from './bulk-rewrite';
import { BulkWriter } from './bulk-writer';
import { Checkpoints, type CheckpointState } from './checkpoint';
import { catalogueTypeOf, dataFileNames, HISTORY_DIR, keyOf, type RecordKey } from './folder';
import { FILES_EDITOR, HandEdits } from './hand-edits';
import { Journal } from './journal';
import { RecordFiles } from './record-files';
import { RecordIndex, type CatalogueType } from './record-index';

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
  private readonly log: NonNullable<FileStorageOptions['log']>;
  private readonly now: () => Date;
  private journal: Journal | null = null;
  /** Stat key of each data file as Dateline last wrote or accepted it: a file that differs was edited by hand. */
  private readonly known = new Map<string, string>();
  /** Each record's revision, last committed form and file; the catalogues; where the bulk files' events are. */
  private readonly records: RecordIndex;
  /** Writes each record's own (or catalogue) file beside the journal, and finishes one a crash left behind. */
  private readonly files: RecordFiles;
  private warming: Promise<void> = Promise.resolve();
  /** Lines of bulk files the journal has and the files do not have yet, and their background rewrite. */
  private readonly writer: BulkWriter;
  /** Finds the folder's hand edits (at start, by its watcher, before a commit) and turns them into changes. */
  private readonly handEdits: HandEdits;
  private readonly listeners: ChangeListener[] = [];
  /** Commits and hand-edit scans run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly checkpoints: Checkpoints;
  /** The last change whose file is renamed into place. */
  private renamedSeq = 0;

  constructor(private readonly options: FileStorageOptions) {
    this.dir = path.resolve(options.dir);
    this.historyDir = path.join(this.dir, HISTORY_DIR);
    this.log = options.log ?? ((level, message) => process.stderr.write(`${level}: ${message}\n`));
    this.now = options.now ?? (() => new Date());
    this.checkpoints = new Checkpoints(this.dir, path.join(this.historyDir, 'state.json'), () => this.checkpointState(), this.log);
    this.records = new RecordIndex(this.dir, this.known);
    this.files = new RecordFiles(this.dir, this.known, this.records, this.log);
    this.writer = new BulkWriter({
      dir: this.dir,
      known: this.known,
      quietMs: options.bulkQuietMs ?? 1000,
      exclusive: (step) => this.exclusive(step),
      pickUp: async (name) => void (await this.handEdits.scan([name], true)),
      lines: () => this.records.bulk,
      written: () => this.checkpoints.soon(),
      log: this.log,
    });
    this.handEdits = new HandEdits({
      dir: this.dir,
      known: this.known,
      debounceMs: options.debounceMs ?? 300,
      records: this.records,
      pending: this.writer.pending,
      exclusive: (step) => this.exclusive(step),
      journal: (entity, kind, before, after, revision, file) => this.journalHandEdit(entity, kind, before, after, revision, file),
      took: (changed, changes) => this.tookHandEdits(changed, changes),
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
    for (const { change, file } of entries) this.records.remember(change, file);
    await this.records.readCatalogues();
    const state = await this.checkpoints.read();
    await finishUnflushed(this.dir, entries.slice(state.checkpointSeq), (entry) => this.files.rollForward(entry), this.log);
    this.renamedSeq = entries.length;
    const dataset = await loadDataset(this.dir);
    this.records.load(dataset);
    await this.records.readCatalogues();
    const offline = await this.handEdits.atStart(await dataFileNames(this.dir), state.files);
    this.records.stamp(dataset);
    await this.checkpoints.save();
    if (this.options.watch ?? true) this.handEdits.startWatching();
    // Where every line of the bulk files starts, so that the first edit of each is not the one to read it whole.
    this.warming = this.records.bulk!.warm().catch(() => undefined);
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
    if (await this.handEdits.anyChanged([...touched])) await this.handEdits.scan([...touched], true);
    const staged = new Map<RecordKey, Staged>();
    const results: (CommittedChange | CommitRefusal)[] = [];
    let seq = this.journal!.seq;
    for (const proposal of proposals) {
      const { type, slug } = proposal.entity;
      const key = keyOf(type, slug);
      const earlier = staged.get(key);
      const current = earlier?.change.revision ?? this.records.revisionOf(type, slug);
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
      Promise.all(own.map((s) => this.files.prepare(s.change.entity.type, s.change.entity.slug, s.change.after, s.from, s.to))),
    ]);
    for (const replace of replaces) await replace();
    const bulk = staged.filter((x) => x.bulk);
    for (const s of bulk) {
      const { slug } = s.change.entity;
      const landed = this.records.lastAfter(keyOf('Event', slug)) ?? s.before;
      for (const change of s.changes) this.writer.pending.add(s.to, slug, change.seq, change.after, landed);
    }
    if (bulk.length) this.writer.soon();
    for (const change of changes) this.records.remember(change, fileOf.get(change.seq)!);
    this.renamedSeq = changes[changes.length - 1].seq;
    this.checkpoints.soon();
    this.emit(changes);
  }

  /** Where a proposal's record is (`from`, or `at` when a change earlier in its group put it there) and goes (`to`). */
  private async placeOf(proposal: ProposedChange, at?: string): Promise<{ from: string | null; to: string; bulk: boolean }> {
    const { type, slug } = proposal.entity;
    const from = at ?? (await this.records.fileOf(type, slug));
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
    this.handEdits.stopWatching();
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
  fileForm(type: EntityType, slug: string): Promise<FileForm | null> {
    return this.records.fileForm(type, slug);
  }

  /** Every record of a catalogue, in file form and file order. */
  catalogue(type: CatalogueType): FileForm[] {
    return this.records.catalogue(type);
  }

  /** Picks up hand edits now (what the watcher does once the folder is quiet); resolves with the changes made. */
  rescan(): Promise<CommittedChange[]> {
    return this.handEdits.rescan();
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

  /** Journals a hand edit of a record in `file` as the next change by `files`, and remembers it. */
  private async journalHandEdit(entity: CommittedChange['entity'], kind: ChangeKind, before: FileForm | null, after: FileForm, revision: number, file: string): Promise<CommittedChange> {
    const change = this.nextChange(entity, kind, FILES_EDITOR, null, before, after, revision);
    await this.journal!.append({ change, file });
    this.renamedSeq = change.seq;
    this.records.remember(change, file);
    return change;
  }

  /**
   * Takes in what a scan of hand edits picked up from the files `changed`: reads the catalogues again if one changed,
   * schedules the pending lines of those files, saves a checkpoint and tells the listeners of `changes`.
   */
  private async tookHandEdits(changed: string[], changes: CommittedChange[]): Promise<void> {
    if (changed.some((n) => catalogueTypeOf(n) !== null)) await this.records.readCatalogues();
    if (changed.some((n) => this.writer.pending.snapshot(n).size)) this.writer.soon();
    await this.checkpoints.save();
    this.emit(changes);
  }
}

/** Why a proposal cannot be committed over a record now at revision `current` (0: none), or null when it can. */
function refusalOf(proposal: ProposedChange, current: number): CommitRefusal | null {
  if (proposal.expectedRevision === null) return current > 0 ? { code: 'DUPLICATE_SLUG' } : null;
  if (current === 0) return { code: 'NOT_FOUND' };
  return current !== proposal.expectedRevision ? { code: 'STALE_REVISION', currentRevision: current } : null;
}
