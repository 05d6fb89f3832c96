/**
 * Finding hand edits: a data file whose size/mtime/inode differs from what the storage last wrote or accepted was
 * changed outside Dateline, while stopped (found at start) or while running (an `fs.watch` on the folder, debounced).
 * When the whole folder still loads, each record of the changed files that differs from what Dateline knew (the
 * journal's last `after`, or its copy in the baseline) becomes a change by `files`, journaled by the storage;
 * otherwise every problem is logged and nothing changes.
 */
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { ChangeKind, CommittedChange, FileForm } from '../../data/change';
import { sameData } from '../../data/file-form';
import { loadDataset } from '../../data/load-dataset';
import { DataError, formatProblem } from '../../data/problems';
import { Baseline } from './baseline';
import { dataFileNames, HISTORY_DIR, isDataFile, keyOf, readFileRecords, statKeyOf } from './folder';
import type { PendingLines } from './pending-lines';
import type { RecordIndex } from './record-index';

/** The editor name of changes found in the folder (hand edits). */
export const FILES_EDITOR = 'files';

/** What finding hand edits needs of the storage it works for. */
export interface HandEditsHost {
  /** The data folder. */
  dir: string;
  /** Stat key of each data file as Dateline last wrote or accepted it (a scan sets it for each file it picks up). */
  known: Map<string, string>;
  /** How long the folder must be quiet before hand edits are picked up, in ms. */
  debounceMs: number;
  /** What the storage knows of each record: what a hand edit is compared with and the revision it makes. */
  records: Pick<RecordIndex, 'lastAfter' | 'revisionOf' | 'bulk'>;
  /** Lines the journal has and their bulk files do not have yet: one still as Dateline wrote it is no hand edit. */
  pending: PendingLines;
  /** Runs a step under the storage's lock, one at a time with commits. */
  exclusive<T>(step: () => Promise<T>): Promise<T>;
  /** Journals a hand edit of a record in `file` as the next change by {@link FILES_EDITOR}, and remembers it. */
  journal(entity: CommittedChange['entity'], kind: ChangeKind, before: FileForm | null, after: FileForm, revision: number, file: string): Promise<CommittedChange>;
  /** Takes in what a scan picked up: the files `changed` and the changes journaled from them (maybe none). */
  took(changed: string[], changes: CommittedChange[]): Promise<void>;
  log(level: 'info' | 'warn', message: string): void;
}

/** The hand edits of one data folder: found at start, by the watcher, before a commit, or on demand. */
export class HandEdits {
  /** A copy of the data files as first found: what a record Dateline never changed was. */
  private readonly baseline: Baseline;
  private watcher: FSWatcher | null = null;
  /** Data files the watcher heard of since its last scan. */
  private readonly heard = new Set<string>();
  private scanTimer: NodeJS.Timeout | null = null;

  constructor(private readonly host: HandEditsHost) {
    this.baseline = new Baseline(path.join(host.dir, HISTORY_DIR, 'baseline'));
  }

  /**
   * At start, with the data files `names` and the stat keys the last checkpoint saved (`saved`): at the first start
   * on the folder, copies it as the baseline and knows the files as they are; otherwise knows them as saved and
   * turns what changed while stopped into changes.
   */
  async atStart(names: string[], saved: Record<string, string>): Promise<CommittedChange[]> {
    const { dir, known } = this.host;
    if (!(await this.baseline.exists())) {
      await this.baseline.create(dir, names);
      for (const name of names) known.set(name, (await statKeyOf(path.join(dir, name)))!);
      return [];
    }
    for (const [name, key] of Object.entries(saved)) known.set(name, key);
    return this.scan(names, false);
  }

  /** Picks up hand edits now (what the watcher does once the folder is quiet); resolves with the changes made. */
  rescan(): Promise<CommittedChange[]> {
    return this.host.exclusive(async () => this.scan([...new Set([...(await dataFileNames(this.host.dir)), ...this.host.known.keys()])], true));
  }

  /** Whether any of the files `names` differs from what Dateline last wrote or accepted. */
  async anyChanged(names: string[]): Promise<boolean> {
    const keys = await Promise.all(names.map((name) => statKeyOf(path.join(this.host.dir, name))));
    return keys.some((key, i) => key !== (this.host.known.get(names[i]) ?? null));
  }

  /**
   * Turns hand edits of the files `names` into changes by `files`, when the whole folder still loads (`check`;
   * at start it was just loaded); otherwise logs every problem and changes nothing. Runs under the storage's lock.
   */
  async scan(names: string[], check: boolean): Promise<CommittedChange[]> {
    const { dir, known, records, pending: pendingLines, log } = this.host;
    const changed: string[] = [];
    for (const name of names) {
      const key = await statKeyOf(path.join(dir, name));
      if (key !== (known.get(name) ?? null)) changed.push(name);
    }
    if (!changed.length) return [];
    if (check) {
      try {
        await loadDataset(dir);
      } catch (err) {
        if (!(err instanceof DataError)) throw err;
        log('warn', `refused the hand edit of ${changed.join(', ')}; still serving what was there before. ${err.problems.length} problem(s):`);
        for (const p of err.problems) log('warn', formatProblem(p));
        return [];
      }
    }
    const changes: CommittedChange[] = [];
    for (const name of changed) {
      const file = path.join(dir, name);
      const stat = await statKeyOf(file);
      const first = name.endsWith('.ndjson') ? await this.baseline.fileRecords(name) : null;
      for (const { type, slug, record } of await readFileRecords(file)) {
        const key = keyOf(type, slug);
        const pending = pendingLines.get(name, slug);
        if (pending) {
          // A line still as Dateline last wrote it merely waits for its rewrite; one changed by hand replaces it.
          if (pending.landed !== null && sameData(pending.landed, record)) continue;
          pendingLines.drop(name, slug);
        }
        const before = records.lastAfter(key) ?? first?.get(slug) ?? (await this.baseline.record(type, slug));
        if (before !== null && sameData(before, record)) continue;
        const revision = before === null ? 1 : records.revisionOf(type, slug) + 1;
        changes.push(await this.host.journal({ type, slug }, kindOf(before, record), before, record, revision, name));
      }
      if (stat === null && known.has(name)) {
        log('warn', `${name} was removed; what it held is served until the next start (retract an event instead of removing it)`);
      }
      if (stat === null) known.delete(name);
      else known.set(name, stat);
      if (name.endsWith('.ndjson')) records.bulk?.forget(name);
    }
    await this.host.took(changed, changes);
    return changes;
  }

  /** Watches the folder: the data files it hears of are scanned once it has been quiet for `debounceMs`. */
  startWatching(): void {
    const { dir, log } = this.host;
    this.watcher = watch(dir, (_event, name) => {
      if (!name || !isDataFile(String(name))) return;
      this.heard.add(String(name));
      if (this.scanTimer) clearTimeout(this.scanTimer);
      this.scanTimer = setTimeout(() => {
        const names = [...this.heard];
        this.heard.clear();
        this.host.exclusive(() => this.scan(names, true)).catch((err: Error) => log('warn', `picking up hand edits failed: ${err.stack ?? err}`));
      }, this.host.debounceMs);
    });
    this.watcher.on('error', (err) => log('warn', `watching ${dir} failed: ${err.message}`));
  }

  /** Stops watching, and drops a scan the watcher had scheduled. */
  stopWatching(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.scanTimer) clearTimeout(this.scanTimer);
  }
}

/** What a hand edit did: created, or retracted/restored (the retraction appeared or went), or else updated. */
function kindOf(before: FileForm | null, after: FileForm): ChangeKind {
  if (before === null) return 'CREATED';
  if (!before.retraction && after.retraction) return 'RETRACTED';
  if (before.retraction && !after.retraction) return 'RESTORED';
  return 'UPDATED';
}
