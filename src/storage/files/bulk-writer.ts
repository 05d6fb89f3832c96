/**
 * The background rewrite of bulk NDJSON files. A commit of an event that lives in one is durable once journaled and
 * leaves its line pending here; the lines pending in a file are written in one atomic rewrite once the bulk files
 * have been free of commits for a moment (or at the latest a few seconds after the first, or at close). The file is
 * read and written beside commits and renamed into place under the storage's lock only if it is still as Dateline
 * knew it when read: a hand edit made meanwhile is picked up first and the lines are written after it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { eventLine } from '../../data/file-form';
import { prepareFile, type PreparedFile } from './atomic-write';
import type { BulkLines } from './bulk-lines';
import { prepareSpliced, spliceLines, type LineReplacement } from './bulk-rewrite';
import { statKeyOf } from './folder';
import { PendingLines } from './pending-lines';

/** Pending bulk lines are written at the latest this long after the first of them, however busy the files are. */
const MAX_DELAY_MS = 5000;
/** With this many lines pending, they are written at once (bounds the memory and the work of a restart). */
const MAX_PENDING = 10_000;

/** What the writer needs of the storage it works for. */
export interface BulkWriterHost {
  /** The data folder. */
  dir: string;
  /** Stat key of each data file as Dateline last wrote or accepted it (the writer sets it for what it writes). */
  known: Map<string, string>;
  /** How long the bulk files must be free of commits before their pending lines are written, in ms. */
  quietMs: number;
  /** Runs a step under the storage's lock, one at a time with commits and scans of hand edits. */
  exclusive<T>(step: () => Promise<T>): Promise<T>;
  /** Picks up a hand edit of `name` not picked up yet (refused ones stay on disk; then its lines wait). */
  pickUp(name: string): Promise<void>;
  /** Where the lines of the bulk files are (null before the folder is loaded). */
  lines(): BulkLines | null;
  /** Told of each file put in place. */
  written(name: string): void;
  log(level: 'info' | 'warn', message: string): void;
}

/** Pending lines of bulk files and their background rewrite. */
export class BulkWriter {
  /** Lines the journal has and their files do not have yet. */
  readonly pending = new PendingLines();
  private timer: NodeJS.Timeout | null = null;
  /** When the pending lines are written at the latest. */
  private dueAt = 0;
  /** Files are rewritten one at a time. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: BulkWriterHost) {}

  /** Schedules the pending lines to be written: once the files are quiet, at the latest {@link MAX_DELAY_MS} on. */
  soon(): void {
    const now = Date.now();
    if (this.timer) clearTimeout(this.timer);
    else this.dueAt = now + MAX_DELAY_MS;
    const delay = this.pending.size >= MAX_PENDING ? 0 : Math.max(0, Math.min(this.host.quietMs, this.dueAt - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeAll().catch((err: Error) => this.host.log('warn', `writing the pending lines of bulk files failed (the journal has them; tried again with the next commit): ${err.stack ?? err}`));
    }, delay);
    this.timer.unref();
  }

  /** Cancels a scheduled write (close writes what is pending itself). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Writes the pending lines of every bulk file, one file after another. */
  writeAll(): Promise<void> {
    const run = this.chain.then(async () => {
      for (const name of this.pending.files()) await this.rewrite(name);
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async rewrite(name: string): Promise<void> {
    const { host } = this;
    const file = path.join(host.dir, name);
    if ((await statKeyOf(file)) !== host.known.get(name)) await host.exclusive(() => host.pickUp(name));
    const written = this.pending.snapshot(name);
    const readKey = await statKeyOf(file);
    // A file missing, or edited by hand in a way that was refused: its lines wait until it is put right.
    if (!written.size || readKey === null || readKey !== host.known.get(name)) return;
    const { prepared, indexed } = await this.prepare(name, written);
    const placed = await host.exclusive(async () => {
      if ((await statKeyOf(file)) !== readKey || host.known.get(name) !== readKey) return false;
      await prepared.replace();
      host.known.set(name, (await statKeyOf(file))!);
      this.pending.landed(name, written);
      indexed();
      host.written(name);
      return true;
    });
    if (placed) return;
    // Edited by hand while being rewritten: that edit is picked up before the next try.
    await prepared.discard();
    this.soon();
  }

  /**
   * The file `name` with the lines `written` put in, prepared beside it, and what to tell the line index once it is
   * in place. Each line is replaced where the index finds it, copying the bytes around it; when a line is not
   * found there (a record to add), the file is read and written whole.
   */
  private async prepare(name: string, written: ReturnType<PendingLines['snapshot']>): Promise<{ prepared: PreparedFile; indexed: () => void }> {
    const file = path.join(this.host.dir, name);
    const lines = this.host.lines();
    const replacements: LineReplacement[] = [];
    for (const [slug, { after }] of written) {
      const at = await lines?.find(slug);
      if (!at || at.file !== name) break;
      replacements.push({ line: at.line, start: at.start, end: at.end, text: eventLine(after) });
    }
    if (lines && replacements.length === written.size) {
      const { prepared, edits } = await prepareSpliced(file, replacements);
      return { prepared, indexed: () => lines.shifted(name, edits) };
    }
    const all = (await fs.readFile(file, 'utf8')).split('\n');
    spliceLines(all, [...written].map(([slug, line]) => [slug, line.after]));
    return { prepared: await prepareFile(file, all.join('\n')), indexed: () => lines?.rewritten(name, all) };
  }
}
