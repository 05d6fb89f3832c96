/**
 * A replica's change follower alone, as a process a test can SIGKILL: opens the PostgresStorage of DATABASE_URL,
 * prints `{"opened": [seq, ...]}` with the changes it opened with, then `{"seq": n}` for each change it applies.
 */
import { PostgresStorage } from '../storage/postgres/postgres-storage';

const storage = new PostgresStorage({ url: process.env.DATABASE_URL!, pollIntervalMs: 200 });
storage.onChanges((changes) => {
  for (const change of changes) process.stdout.write(`${JSON.stringify({ seq: change.seq })}\n`);
});
storage.open().then(
  ({ changes }) => process.stdout.write(`${JSON.stringify({ opened: changes.map((c) => c.seq) })}\n`),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => storage.close().then(() => process.exit(0)));
