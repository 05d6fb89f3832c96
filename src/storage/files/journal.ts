/**
 * The append-only journal of committed changes: one JSON line per change (NDJSON), in commit order, each flushed to
 * disk before its commit resolves. A crash can only tear the last line, which the next open cuts off (that change
 * was never acknowledged).
 */
import { promises as fs } from 'node:fs';
import type { CommittedChange } from '../../data/change';

/** A journal line: the change, and the data file its record was written to. */
export interface JournalEntry {
  change: CommittedChange;
  /** The data file (a name in the data folder) holding the record after the change. */
  file: string;
}

/** The journal file of one data folder, open for appending. */
export class Journal {
  private constructor(
    private readonly handle: fs.FileHandle,
    /** The last `seq` written (0 when empty). */
    public seq: number,
  ) {}

  /**
   * Opens (creating) the journal at `file`, cuts off a torn last line, and returns it with every entry in it.
   */
  static async open(file: string): Promise<{ journal: Journal; entries: JournalEntry[]; cutBytes: number }> {
    const handle = await fs.open(file, 'a+');
    const text = await handle.readFile('utf8');
    const entries: JournalEntry[] = [];
    // Every line that ends in a newline was written whole; only a last line without one can be torn.
    const good = text.lastIndexOf('\n') + 1;
    const lines = text.slice(0, good).split('\n');
    for (let i = 0; i < lines.length - 1; i++) {
      if (!lines[i].trim()) continue;
      let entry: JournalEntry | undefined;
      try {
        entry = JSON.parse(lines[i]) as JournalEntry;
      } catch {
        entry = undefined;
      }
      if (entry?.change?.seq !== entries.length + 1) {
        await handle.close();
        throw new Error(`${file}:${i + 1}: is not change ${entries.length + 1} of the journal; the journal is damaged, restore it from a backup`);
      }
      entries.push(entry);
    }
    const cut = Buffer.byteLength(text.slice(good));
    if (cut) {
      await handle.truncate(Buffer.byteLength(text) - cut);
      await handle.sync();
    }
    return { journal: new Journal(handle, entries.length), entries, cutBytes: cut };
  }

  /** How many times the journal was flushed to disk by appends (a group commit flushes once for all its entries). */
  flushes = 0;

  /** Appends an entry and flushes it to disk; its `seq` must be the next one. */
  append(entry: JournalEntry): Promise<void> {
    return this.appendAll([entry]);
  }

  /**
   * Appends entries in one write and flushes them with one `fsync`; their `seq`s must follow on from the last. A crash
   * can tear only the last line written, so a start keeps the whole lines before it (none of them acknowledged yet).
   */
  async appendAll(entries: readonly JournalEntry[]): Promise<void> {
    if (!entries.length) return;
    let text = '';
    entries.forEach((entry, i) => {
      if (entry.change.seq !== this.seq + 1 + i) throw new Error(`journal: expected seq ${this.seq + 1 + i}, got ${entry.change.seq}`);
      text += `${JSON.stringify(entry)}\n`;
    });
    await this.handle.appendFile(text);
    await this.handle.sync();
    this.flushes++;
    this.seq += entries.length;
  }

  /** Closes the file. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
