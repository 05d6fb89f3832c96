/** The connection pool and the one way this folder runs a transaction. */
import { Pool, type PoolClient, type PoolConfig } from 'pg';

/** Opens a pool on `url`; an idle connection that breaks is dropped quietly (the next query reconnects). */
export function createPool(url: string, options: PoolConfig = {}): Pool {
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, ...options });
  // A connection losing its server (a database restart) emits 'error': without a listener that would crash the
  // process. Idle ones are reported on the pool; checked-out ones on themselves, and their queries reject anyway.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Runs `work` inside a transaction on one connection (`begin` may ask for an isolation level); any throw closes that
 * connection, which rolls the transaction back, and rethrows. Not a ROLLBACK: a connection left inside a COPY would
 * wait behind the rows still coming.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    client.release(true);
    throw err;
  }
}

/** The rows of `sql`, fetched `batch` at a time through a cursor (inside the caller's transaction). */
export async function* cursorRows<R>(client: PoolClient, sql: string, batch: number): AsyncGenerator<R[]> {
  await client.query(`DECLARE dateline_rows NO SCROLL CURSOR FOR ${sql}`);
  try {
    for (;;) {
      const { rows } = await client.query(`FETCH ${batch} FROM dateline_rows`);
      if (!rows.length) return;
      yield rows as R[];
    }
  } finally {
    await client.query('CLOSE dateline_rows').catch(() => undefined);
  }
}
