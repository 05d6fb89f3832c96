/**
 * What a replica's start and `db:export` both read first, inside their REPEATABLE READ snapshot: which import the
 * database holds with the last change, and every catalogue record in file form and file order.
 */
import type { PoolClient } from 'pg';
import type { EntityType, FileForm } from '../../data/change';
import { cursorRows } from './pool';
import { BATCH, CATALOGUES } from './tables';

/** The kinds of record kept in a catalogue file. */
export type CatalogueType = Exclude<EntityType, 'Event'>;

/** Which data set the database holds, as of the snapshot. */
export interface DatasetInfo {
  datasetId: string;
  /** RFC 3339 instant of the import: revision 1 of every record imported. */
  importedAt: string;
  /** The last change the snapshot includes (0 when none). */
  lastSeq: number;
}

/** The database holds no data set yet. */
export class NoDatasetError extends Error {
  constructor() {
    super('the database holds no data set yet: import a data folder first with `npm run db:import -- DIR`');
    this.name = 'NoDatasetError';
  }
}

/** The import the snapshot holds and its last change; a {@link NoDatasetError} when nothing was imported. */
export async function readDatasetInfo(client: PoolClient): Promise<DatasetInfo> {
  const { rows } = await client.query<{ dataset_id: string; imported_at: Date; last_seq: string }>(
    'SELECT dataset_id, imported_at, (SELECT last_seq FROM change_counter) AS last_seq FROM dataset_info',
  );
  if (!rows.length) throw new NoDatasetError();
  return { datasetId: rows[0].dataset_id, importedAt: rows[0].imported_at.toISOString(), lastSeq: Number(rows[0].last_seq) };
}

/** Every catalogue record in file form, in file order (a few thousand: read in batches through a cursor). */
export async function readCatalogues(client: PoolClient): Promise<Record<CatalogueType, FileForm[]>> {
  const catalogues: Record<CatalogueType, FileForm[]> = { Place: [], Actor: [], Source: [] };
  for (const { type, table } of CATALOGUES) {
    for await (const batch of cursorRows<{ record: FileForm }>(client, `SELECT record FROM ${table} ORDER BY position`, BATCH)) {
      for (const row of batch) catalogues[type].push(row.record);
    }
  }
  return catalogues;
}
