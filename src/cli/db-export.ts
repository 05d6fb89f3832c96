/** `npm run db:export -- DIR`: writes the data of DATABASE_URL as a data folder (new or empty), as it was imported. */
import { writeFolder } from '../storage/postgres/export-folder';
import { runDatabaseCommand } from './db-command';
import { inTransaction } from '../storage/postgres/pool';

runDatabaseCommand('db:export', async (pool, dir) => {
  const { counts: n, lastSeq } = await inTransaction(pool, (client) => writeFolder(client, dir), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  return `${dir}: exported ${n.events} events, ${n.places} places, ${n.actors} actors, ${n.sources} sources, as of change ${lastSeq}`;
});
