/** `npm run validate [DIR]`: checks a data folder as the server would at start, without serving it. */
import { loadDataset } from '../data/load-dataset';
import { DataError } from '../data/problems';

const dir = process.argv[2] ?? process.env.EVENTS_DIR ?? 'events';

loadDataset(dir).then(
  (dataset) => {
    process.stdout.write(
      `${dir}: OK: ${dataset.events.length} events, ${dataset.places.length} places, ${dataset.actors.length} actors, ${dataset.sources.length} sources\n`,
    );
  },
  (err: unknown) => {
    process.stderr.write(err instanceof DataError ? `${err.message}\n` : `${String(err)}\n`);
    process.exit(1);
  },
);
