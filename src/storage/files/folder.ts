/**
 * The data folder seen as files of records: which files hold data, how to tell that a file changed (its size,
 * mtime and inode, as last written or accepted), and the records each file holds, in file form.
 */
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { EntityType, FileForm } from '../../data/change';
import { CATALOGUE_OF } from '../../data/file-form';

/** The subfolder of the data folder with the journal and what the storage knows of the files; the loader skips it. */
export const HISTORY_DIR = 'history';

/** A record's identity across types: `Event:hama-checkpoint-bombing`. */
export type RecordKey = `${EntityType}:${string}`;

/** The key of a record. */
export function keyOf(type: EntityType, slug: string): RecordKey {
  return `${type}:${slug}`;
}

/** The catalogue type a file name holds, or null for an events file. */
export function catalogueTypeOf(name: string): Exclude<EntityType, 'Event'> | null {
  for (const type of ['Place', 'Actor', 'Source'] as const) if (CATALOGUE_OF[type].file === name) return type;
  return null;
}

/** Whether the loader reads a file of this name as data. */
export function isDataFile(name: string): boolean {
  return !name.startsWith('.') && (name.endsWith('.json') || name.endsWith('.ndjson'));
}

/** The data files in `dir`, sorted. */
export async function dataFileNames(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() && isDataFile(e.name)).map((e) => e.name).sort();
}

/** What tells that a file changed without reading it. */
export function statKey(stat: Stats): string {
  return `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
}

/** The stat key of `file`, or null when it does not exist. */
export async function statKeyOf(file: string): Promise<string | null> {
  try {
    return statKey(await fs.stat(file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** One record as a file holds it. */
export interface FileRecord {
  type: EntityType;
  slug: string;
  record: FileForm;
}

/**
 * The records a data file holds, in file form (an event file's record without `$schema`); a file that is missing
 * or cannot be parsed holds none (the loader reports why).
 */
export async function readFileRecords(file: string): Promise<FileRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const name = path.basename(file);
  const out: FileRecord[] = [];
  const take = (type: EntityType, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    const { $schema: _schema, ...record } = value as FileForm;
    if (typeof record.slug === 'string') out.push({ type, slug: record.slug, record });
  };
  try {
    const catalogue = catalogueTypeOf(name);
    if (catalogue) {
      const list = (JSON.parse(text) as Record<string, unknown>)?.[CATALOGUE_OF[catalogue].key];
      if (Array.isArray(list)) for (const r of list) take(catalogue, r);
    } else if (name.endsWith('.ndjson')) {
      for (const line of text.split(/\r?\n|\r/)) if (line.trim()) take('Event', JSON.parse(line));
    } else {
      take('Event', JSON.parse(text));
    }
  } catch {
    return [];
  }
  return out;
}


const LEADING_SLUG = /^\{"slug":"([a-z0-9-]+)"/;

/**
 * The index of the line holding each record of `lines` (an NDJSON file split at `\n`), by slug. Lines written as
 * Dateline writes them start with their slug, which a pattern reads without parsing the line; any other is parsed.
 * Lines that are not JSON objects with a slug are left out (the loader reports them).
 */
export function slugsOfLines(lines: string[]): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const slug = LEADING_SLUG.exec(lines[i])?.[1] ?? slugOfLine(lines[i]);
    if (slug !== null && !index.has(slug)) index.set(slug, i);
  }
  return index;
}

/** The slug of an NDJSON line, or null when it is not a JSON object with one. */
function slugOfLine(line: string): string | null {
  if (!line.trim()) return null;
  try {
    const slug = (JSON.parse(line) as FileForm | null)?.slug;
    return typeof slug === 'string' ? slug : null;
  } catch {
    return null;
  }
}
