/** `npm run db:import -- DIR`: loads a data folder into the empty database of DATABASE_URL, in one transaction. */
import { DataError } from '../data/problems';
import { importFolder } from '../storage/postgres/import-folder';
import { runDatabaseCommand } from './db-command';

runDatabaseCommand('db:import', async (pool, dir) => {
  try {
    const n = await importFolder(pool, dir);
    return `${dir}: imported ${n.events} events, ${n.places} places, ${n.actors} actors, ${n.sources} sources`;
  } catch (err) {
    // The loader's own report: every problem, one per line, as `npm run validate` prints it.
    if (err instanceof DataError) throw new Error(`${dir}: nothing imported; ${err.message}`);
    throw err;
  }
});
