/**
 * A replica's start: one consistent snapshot of the records and the change log, turned into the data set by the
 * loader itself (the records go through a temporary NDJSON folder), so that a replica serves exactly what a folder
 * with the same records would, checked by the same rules.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { CommittedChange } from '../../data/change';
import type { Dataset, RecordMeta } from '../../data/dataset';
import { loadDataset } from '../../data/load-dataset';
import { DataError } from '../../data/problems';
import { changesAfter } from './change-log';
import { writeFolder, type WrittenFolder } from './export-folder';
import { inTransaction } from './pool';

/** The data set as of change `lastSeq`, with every change up to it and the catalogues in file form. */
export interface DatabaseSnapshot {
  dataset: Dataset;
  changes: CommittedChange[];
  lastSeq: number;
  catalogues: WrittenFolder['catalogues'];
  importedAt: string;
}

const CHANGES_PER_READ = 10_000;

/** Reads everything the database holds, as of one instant. */
export async function readDataset(pool: Pool): Promise<DatabaseSnapshot> {
  const folder = await mkdtemp(path.join(tmpdir(), 'dateline-replica-'));
  try {
    const { written, changes } = await inTransaction(
      pool,
      async (client) => {
        const written = await writeFolder(client, folder, 'one-ndjson');
        const changes: CommittedChange[] = [];
        for (let page: CommittedChange[]; (page = await changesAfter(client, changes.at(-1)?.seq ?? 0, CHANGES_PER_READ)).length; ) changes.push(...page);
        return { written, changes };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
    let dataset: Dataset;
    try {
      dataset = await loadDataset(folder);
    } catch (err) {
      if (!(err instanceof DataError)) throw err;
      throw new Error(`the database holds records the loader refuses (was it changed by hand?):\n${err.problems.map((p) => `  ${path.basename(p.file)}: ${p.path}: ${p.message}`).join('\n')}`);
    }
    applyMeta(dataset, written.revised);
    // The loader's content hash, plus the snapshot's seq: two snapshots whose records happen to read the same (an
    // edit and its undo) still name different points of the log, so replicas never share a version for different data.
    dataset.version = `${dataset.version}@${written.lastSeq}`;
    return { dataset, changes, lastSeq: written.lastSeq, catalogues: written.catalogues, importedAt: written.importedAt };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Gives each changed record its revision and time (the loader starts every record at revision 1). */
function applyMeta(dataset: Dataset, revised: Map<string, RecordMeta>): void {
  if (!revised.size) return;
  const lists = { Place: dataset.places, Actor: dataset.actors, Source: dataset.sources } as const;
  for (const [type, records] of Object.entries(lists)) {
    for (const record of records) Object.assign(record, revised.get(`${type}:${record.slug}`));
  }
  const bySlug = dataset.eventsBySlug ?? new Map(dataset.events.map((e) => [e.slug, e]));
  for (const [key, meta] of revised) {
    if (key.startsWith('Event:')) Object.assign(bySlug.get(key.slice('Event:'.length)) ?? {}, meta);
  }
}
