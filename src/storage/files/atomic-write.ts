/**
 * Replacing a file so that a crash at any moment leaves either the old file or the new one, never a torn one: the
 * text goes to a temporary file in the same folder, which is flushed to disk and renamed over the old name; flushing
 * the folder makes the rename survive a power cut.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Temporary files this module makes end with this; a start removes any a crash left behind. */
export const TEMP_SUFFIX = '.dateline-tmp';

let counter = 0;

/** Flushes a folder's entries (a rename or unlink in it) to disk. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file written to its temporary name and flushed, to be renamed over its real name by `replace`. */
export interface PreparedFile {
  /** Renames the temporary file over the real one (atomic; durable once the folder is flushed). */
  replace(): Promise<void>;
  /** Removes the temporary file instead (the real one changed meanwhile and must not be replaced). */
  discard(): Promise<void>;
}

/** Writes `text` to a temporary file beside `file` and flushes it, without touching `file` yet. */
export function prepareFile(file: string, text: string | Buffer): Promise<PreparedFile> {
  return prepareFileWith(file, (handle) => handle.writeFile(text));
}

/** Like {@link prepareFile}, the text written by `write` (e.g. copied from the old file in pieces). */
export async function prepareFileWith(file: string, write: (handle: fs.FileHandle) => Promise<void>): Promise<PreparedFile> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++counter}${TEMP_SUFFIX}`);
  const handle = await fs.open(temp, 'w');
  try {
    await write(handle);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  return { replace: () => fs.rename(temp, file), discard: () => fs.rm(temp, { force: true }) };
}

/** Writes `text` to `file` atomically and durably (temp file, fsync, rename, fsync of the folder). */
export async function writeFileAtomic(file: string, text: string | Buffer): Promise<void> {
  await (await prepareFile(file, text)).replace();
  await syncDir(path.dirname(file));
}

/** Removes `file` durably; a file already gone is fine. */
export async function removeFileDurably(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await syncDir(path.dirname(file));
}

/** Removes the temporary files a crash left in `dir`; returns their names. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const stale = (await fs.readdir(dir)).filter((name) => name.startsWith('.') && name.endsWith(TEMP_SUFFIX));
  for (const name of stale) await fs.rm(path.join(dir, name), { force: true });
  return stale;
}
