/**
 * Finding an event in a bulk NDJSON file without reading the file: the loader says where it read each event (file
 * and line), and the byte offset of every line of a file is indexed once (in the background after open, or when
 * first needed) by scanning it for newlines. A record is then one positioned read of its line, checked to be the
 * event asked for; when it is not (lines moved by a hand edit), the file is read whole once and its lines indexed
 * again, and as a last resort every NDJSON file is.
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileForm } from '../../data/change';
import type { EventLocation } from '../../data/dataset';
import { dataFileNames, slugsOfLines } from './folder';

/** An event found in a bulk file: the file's name, the index of its line (split at `\n`), its bytes and the record. */
export interface BulkRecord {
  file: string;
  line: number;
  /** The line's first byte, and one past its last (its newline excluded). */
  start: number;
  end: number;
  record: FileForm;
}

/** A line of a bulk file replaced by a rewrite, and by how many bytes it grew (or shrank). */
export interface LineEdit {
  line: number;
  delta: number;
}

/** Where each event of the folder's bulk files is, and its record read from its line alone. */
export class BulkLines {
  /** Start of each line of a file in bytes, and one past the end: line i is bytes [starts[i], starts[i + 1] - 1). */
  private readonly starts = new Map<string, Promise<Float64Array>>();
  /** Lines found by reading files whole, which win over where the loader read an event. */
  private readonly found = new Map<string, { file: string; line: number }>();

  constructor(
    private readonly dir: string,
    private readonly locate: (slug: string) => EventLocation | undefined,
  ) {}

  /** Indexes the lines of every bulk file, one file after another; what a start runs in the background. */
  async warm(): Promise<void> {
    for (const name of (await dataFileNames(this.dir)).filter((n) => n.endsWith('.ndjson'))) await this.startsOf(name);
  }

  /** The event `slug` as its bulk file holds it, or null when no bulk file does. */
  async find(slug: string): Promise<BulkRecord | null> {
    const guess = this.found.get(slug) ?? this.loadedAt(slug);
    if (!guess) return null;
    const read = await this.readLine(guess.file, guess.line);
    if (read?.record.slug === slug) return { ...guess, ...read };
    // The lines moved since: the guessed file, and then every bulk file, read whole.
    for (const names of [[guess.file], (await dataFileNames(this.dir)).filter((n) => n.endsWith('.ndjson'))]) {
      for (const name of names) await this.readWhole(name);
      const now = this.found.get(slug);
      if (now) {
        const again = await this.readLine(now.file, now.line);
        if (again?.record.slug === slug) return { ...now, ...again };
      }
    }
    return null;
  }

  /** Takes a file just rewritten with the lines `edits` (in line order) replaced: the lines after each move by its delta. */
  shifted(name: string, edits: LineEdit[]): void {
    const before = this.starts.get(name);
    if (!before) return;
    this.starts.set(
      name,
      before.then((starts) => {
        const after = new Float64Array(starts.length);
        for (let i = 0, k = 0, delta = 0; i < starts.length; i++) {
          for (; k < edits.length && edits[k].line < i; k++) delta += edits[k].delta;
          after[i] = starts[i] + delta;
        }
        return after;
      }),
    );
  }

  /** Takes the lines of a file just rewritten (same lines, some replaced or added at the end). */
  rewritten(name: string, lines: string[]): void {
    const starts = new Float64Array(lines.length + 1);
    for (let i = 0; i < lines.length; i++) starts[i + 1] = starts[i] + Buffer.byteLength(lines[i]) + 1;
    this.starts.set(name, Promise.resolve(starts));
  }

  /** Forgets the line offsets of a file edited by hand (its lines may have moved). */
  forget(name: string): void {
    this.starts.delete(name);
  }

  private loadedAt(slug: string): { file: string; line: number } | null {
    const at = this.locate(slug);
    if (!at || !at.file.endsWith('.ndjson') || at.line < 1) return null;
    return { file: path.basename(at.file), line: at.line - 1 };
  }

  private async readLine(name: string, line: number): Promise<{ start: number; end: number; record: FileForm } | null> {
    const starts = await this.startsOf(name).catch(() => null);
    if (!starts || line + 1 >= starts.length) return null;
    const length = starts[line + 1] - 1 - starts[line];
    if (length <= 0) return null;
    const buffer = Buffer.alloc(length);
    try {
      const handle = await fs.open(path.join(this.dir, name), 'r');
      try {
        await handle.read(buffer, 0, length, starts[line]);
      } finally {
        await handle.close();
      }
      return { start: starts[line], end: starts[line] + length, record: JSON.parse(buffer.toString('utf8')) as FileForm };
    } catch {
      return null;
    }
  }

  private async readWhole(name: string): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(path.join(this.dir, name), 'utf8');
    } catch {
      return;
    }
    const lines = text.split('\n');
    for (const [slug, line] of slugsOfLines(lines)) this.found.set(slug, { file: name, line });
    this.rewritten(name, lines);
  }

  private startsOf(name: string): Promise<Float64Array> {
    let starts = this.starts.get(name);
    if (!starts) {
      starts = newlineOffsets(path.join(this.dir, name));
      this.starts.set(name, starts);
      starts.catch(() => this.starts.delete(name));
    }
    return starts;
  }
}

/** The start of every line of a file (split at `\n`) and one past its end, by reading it in chunks. */
async function newlineOffsets(file: string): Promise<Float64Array> {
  const starts: number[] = [0];
  let base = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) starts.push(base + i + 1);
    base += bytes.length;
  }
  starts.push(base + 1);
  return Float64Array.from(starts);
}
