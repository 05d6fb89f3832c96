/**
 * Lines of bulk NDJSON files that the journal has and the file does not have yet. A commit of an event that lives in
 * a bulk file is durable once its journal line is flushed (a start rolls every change after the checkpoint forward);
 * its file is rewritten later, once for all the lines pending in it. What the file still holds of each pending
 * record (`landed`) is what tells a hand edit of that line from a line merely not rewritten yet.
 */
import type { FileForm } from '../../data/change';

/** One record's line waiting for its file to be rewritten. */
export interface PendingLine {
  /** The record as the journal has it last. */
  after: FileForm;
  /** The record as the file holds it (the last version written there). */
  landed: FileForm | null;
  /** The first change of the record the file does not have yet. */
  firstSeq: number;
  /** The change that made `after`. */
  lastSeq: number;
}

/** Pending lines by file and slug. */
export class PendingLines {
  private readonly byFile = new Map<string, Map<string, PendingLine>>();
  private count = 0;

  /** How many lines are pending in all files. */
  get size(): number {
    return this.count;
  }

  /** Files with pending lines. */
  files(): string[] {
    return [...this.byFile.keys()];
  }

  /** The pending line of a record, if any. */
  get(file: string, slug: string): PendingLine | undefined {
    return this.byFile.get(file)?.get(slug);
  }

  /** Records change `seq` of `slug`, which made it `after`; `landed` is what the file holds of it. */
  add(file: string, slug: string, seq: number, after: FileForm, landed: FileForm | null): void {
    let lines = this.byFile.get(file);
    if (!lines) this.byFile.set(file, (lines = new Map()));
    const earlier = lines.get(slug);
    if (!earlier) this.count++;
    lines.set(slug, earlier ? { ...earlier, after, lastSeq: seq } : { after, landed, firstSeq: seq, lastSeq: seq });
  }

  /** A copy of the lines pending in `file`, for a rewrite to write. */
  snapshot(file: string): Map<string, PendingLine> {
    return new Map(this.byFile.get(file));
  }

  /**
   * Settles the lines a rewrite wrote (`written`, a snapshot) once its file is in place: each is done, unless it
   * changed again meanwhile, and then the file holds the version written.
   */
  landed(file: string, written: Map<string, PendingLine>): void {
    const lines = this.byFile.get(file);
    if (!lines) return;
    for (const [slug, line] of written) {
      const now = lines.get(slug);
      if (now === line) this.drop(file, slug);
      else if (now) lines.set(slug, { ...now, landed: line.after, firstSeq: line.lastSeq + 1 });
    }
  }

  /** Forgets a pending line (its file was rewritten, or a hand edit of the line replaced it). */
  drop(file: string, slug: string): void {
    const lines = this.byFile.get(file);
    if (!lines?.delete(slug)) return;
    this.count--;
    if (!lines.size) this.byFile.delete(file);
  }

  /** The first change some file does not have yet, or null when every file has every change. */
  oldestSeq(): number | null {
    let oldest: number | null = null;
    for (const lines of this.byFile.values()) for (const line of lines.values()) if (oldest === null || line.firstSeq < oldest) oldest = line.firstSeq;
    return oldest;
  }
}
