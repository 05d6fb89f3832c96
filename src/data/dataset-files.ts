/**
 * Where the loader reads a data set's files from. Usually a folder on disk; a replica hands it its database's records
 * as the same files' text, streamed, so that both are checked and resolved by the one loader without a copy on disk.
 */
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { DataError, type DataProblem } from './problems';

/** A data set's files, by name: the catalogues whole, NDJSON event files in chunks. */
export interface DatasetFiles {
  /** The folder the files are named in, in problems. */
  readonly dir: string;
  /** Every file's name; throws a {@link DataError} when there is no such folder to read. */
  names(): Promise<string[]>;
  /** A file's whole text; undefined, with a problem, when it cannot be read whole. */
  text(name: string, problems: DataProblem[]): Promise<string | undefined>;
  /**
   * An NDJSON file's text in chunks of whole characters (a line may span chunks); none, with a problem, when it
   * cannot be read.
   */
  chunks(name: string, problems: DataProblem[]): AsyncIterable<string>;
}

/** The files of the folder `dir`: regular files only, each checked not to change while it is read. */
export function folderFiles(dir: string): DatasetFiles {
  return {
    dir,
    async names() {
      try {
        return (await fs.readdir(dir)).sort();
      } catch (err) {
        throw new DataError([{ file: dir, path: '', message: `cannot read the data folder (${(err as NodeJS.ErrnoException).code ?? err})` }]);
      }
    },
    text: (name, problems) => readWhole(path.join(dir, name), problems),
    chunks: (name, problems) => readChunks(path.join(dir, name), problems),
  };
}

/** The file's stat when it is a regular file (symlinks followed); else a problem saying what it is, and null. */
async function regularFile(file: string, problems: DataProblem[]): Promise<Stats | null> {
  try {
    const stat = await fs.stat(file);
    if (stat.isFile()) return stat;
    const what = stat.isDirectory() ? 'a folder' : stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : 'not a regular file';
    problems.push({ file, path: '', message: `is ${what}; only regular files are read: remove or rename it` });
  } catch (err) {
    problems.push({ file, path: '', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); check its permissions, or remove it if it is a broken or looping link` });
  }
  return null;
}

/** Whether a file changed between two stats (being written while it was read). */
function changed(before: Stats, after: Stats | null): boolean {
  return after === null || after.size !== before.size || after.mtimeMs !== before.mtimeMs;
}

function changedProblem(file: string): DataProblem {
  return { file, path: '', message: 'changed while it was read (is something still writing it?); start again once it is complete' };
}

/** The text of a regular file, checked not to have changed while read; undefined (with a problem) otherwise. */
async function readWhole(file: string, problems: DataProblem[]): Promise<string | undefined> {
  const before = await regularFile(file, problems);
  if (!before) return undefined;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    problems.push({ file, path: '', message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); check its permissions` });
    return undefined;
  }
  if (changed(before, await fs.stat(file).catch(() => null))) {
    problems.push(changedProblem(file));
    return undefined;
  }
  return text;
}

/** A regular file's text in 1 MiB chunks, with a problem after the last if it changed while it was read. */
async function* readChunks(file: string, problems: DataProblem[]): AsyncGenerator<string> {
  const before = await regularFile(file, problems);
  if (!before) return;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) yield chunk as string;
  if (changed(before, await fs.stat(file).catch(() => null))) problems.push(changedProblem(file));
}
