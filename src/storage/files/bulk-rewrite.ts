/**
 * Writing changed records into bulk NDJSON files: each record's line is replaced where it is (or added at the end),
 * every other line is kept byte for byte, and the file is replaced atomically. Used by the background rewrite of
 * pending lines and by a start that finishes changes a crash left out of their file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileForm } from '../../data/change';
import { eventLine, sameData } from '../../data/file-form';
import { prepareFile, prepareFileWith, syncDir, type PreparedFile } from './atomic-write';
import type { LineEdit } from './bulk-lines';
import { keyOf, slugsOfLines, type RecordKey } from './folder';
import type { JournalEntry } from './journal';

/** Replaces (or adds at the end) the line of each record of `records` in `lines`, an NDJSON file split at `\n`. */
export function spliceLines(lines: string[], records: Iterable<[string, FileForm]>): void {
  const index = slugsOfLines(lines);
  for (const [slug, record] of records) {
    const at = index.get(slug);
    if (at !== undefined) lines[at] = eventLine(record);
    else lines.splice(lines.length - (lines[lines.length - 1] === '' ? 1 : 0), 0, eventLine(record));
  }
}

/** A line of a bulk file to replace: its bytes in the file as it is (newline excluded) and its new text. */
export interface LineReplacement {
  line: number;
  start: number;
  end: number;
  text: string;
}

/**
 * Writes `file` with the lines `replacements` replaced to a temporary file beside it, copying every other byte from
 * the file as it is in pieces (no decoding, no whole-file string: a 100,000-line file costs the main thread next to
 * nothing). Resolves with the prepared file and how each line's length changed, in line order.
 */
export async function prepareSpliced(file: string, replacements: LineReplacement[]): Promise<{ prepared: PreparedFile; edits: LineEdit[] }> {
  const sorted = [...replacements].sort((a, b) => a.start - b.start);
  const source = await fs.open(file, 'r');
  try {
    const size = (await source.stat()).size;
    const buffer = Buffer.alloc(1 << 20);
    const prepared = await prepareFileWith(file, async (out) => {
      let at = 0;
      for (const { start, end, text } of sorted) {
        await copyBytes(file, source, out, at, start, buffer);
        await writeAll(out, Buffer.from(text));
        at = end;
      }
      await copyBytes(file, source, out, at, size, buffer);
    });
    return { prepared, edits: sorted.map((r) => ({ line: r.line, delta: Buffer.byteLength(r.text) - (r.end - r.start) })) };
  } finally {
    await source.close();
  }
}

/** Copies bytes [from, to) of `source` to the end of what was written to `out`. */
async function copyBytes(file: string, source: fs.FileHandle, out: fs.FileHandle, from: number, to: number, buffer: Buffer): Promise<void> {
  for (let at = from; at < to; ) {
    const { bytesRead } = await source.read(buffer, 0, Math.min(buffer.length, to - at), at);
    if (!bytesRead) throw new Error(`${file}: ended at byte ${at}, before ${to}; it changed while it was rewritten`);
    await writeAll(out, buffer.subarray(0, bytesRead));
    at += bytesRead;
  }
}

async function writeAll(out: fs.FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) done += (await out.write(bytes, done, bytes.length - done)).bytesWritten;
}

/** The journaled versions of one record since the last checkpoint: the file holding any but the last is behind. */
export interface RecordChain {
  /** What the record was before the first of these changes, and after each but the last. */
  earlier: (FileForm | null)[];
  /** The record after the last change. */
  after: FileForm;
}

/**
 * Finishes the changes after the last checkpoint that a crash (or a power cut before the folder was flushed) left
 * out of their files: each record's last change in its own or catalogue file (`rollForward`), and the records of
 * each bulk file in one rewrite of that file (a line may be several changes behind: bulk files are written in the
 * background).
 */
export async function finishUnflushed(dir: string, entries: JournalEntry[], rollForward: (entry: JournalEntry) => Promise<void>, log: (level: 'info', message: string) => void): Promise<void> {
  const last = new Map<RecordKey, JournalEntry>();
  const chains = new Map<RecordKey, RecordChain>();
  for (const entry of entries) {
    const key = keyOf(entry.change.entity.type, entry.change.entity.slug);
    const chain = chains.get(key);
    chains.set(key, { earlier: chain ? [...chain.earlier, chain.after] : [entry.change.before], after: entry.change.after });
    last.set(key, entry);
  }
  const bulk = new Map<string, Map<string, RecordChain>>();
  for (const [key, entry] of last) {
    if (!entry.file.endsWith('.ndjson')) await rollForward(entry);
    else bulk.set(entry.file, (bulk.get(entry.file) ?? new Map<string, RecordChain>()).set(entry.change.entity.slug, chains.get(key)!));
  }
  for (const [name, records] of bulk) {
    const done = await finishBulkFile(dir, name, records);
    if (done.length) log('info', `${name}: wrote the journaled line(s) of ${done.join(', ')}, which a crash had left out of the file`);
  }
}

/**
 * Finishes journaled changes of records of the bulk file `name` in `dir` that a crash left out of it: a record whose
 * line holds one of its earlier versions gets its last one, in one atomic rewrite of the file (flushed with the
 * folder). A line that holds anything else was edited by hand since and is left for the scan of hand edits.
 * Resolves with the slugs finished.
 */
export async function finishBulkFile(dir: string, name: string, chains: Map<string, RecordChain>): Promise<string[]> {
  const file = path.join(dir, name);
  const lines = (await fs.readFile(file, 'utf8').catch(() => '')).split('\n');
  const index = slugsOfLines(lines);
  const behind: [string, FileForm][] = [];
  for (const [slug, { earlier, after }] of chains) {
    const at = index.get(slug);
    const inFile = at === undefined ? null : parsed(lines[at]);
    if (inFile === undefined || (inFile !== null && sameData(inFile, after))) continue;
    if (inFile === null ? earlier.includes(null) : earlier.some((v) => v !== null && sameData(v, inFile))) behind.push([slug, after]);
  }
  if (!behind.length) return [];
  spliceLines(lines, behind);
  await (await prepareFile(file, lines.join('\n'))).replace();
  await syncDir(dir);
  return behind.map(([slug]) => slug);
}

/** A line's record, or undefined when it is not JSON (a hand edit the loader will report). */
function parsed(line: string): FileForm | undefined {
  try {
    return JSON.parse(line) as FileForm;
  } catch {
    return undefined;
  }
}
