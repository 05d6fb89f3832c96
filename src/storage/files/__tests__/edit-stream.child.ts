/**
 * Child process of the SIGKILL test: serves a data folder and commits a stream of edits as fast as it can (events
 * created and updated, a source saved, moving between an own file and back, events of a bulk NDJSON file updated
 * while their file is rewritten in the background), printing one JSON line per acknowledged edit, until it is killed.
 */
import { serve } from '../../__tests__/edit-harness';

const SLUGS = ['kill-a', 'kill-b', 'kill-c', 'kill-d'];
/** Events the test put in a bulk file (argv[3], comma-separated). */
const BULK = (process.argv[3] ?? '').split(',').filter(Boolean);

async function main(): Promise<void> {
  // Bulk lines are written as soon as the stream lets them, so that kills fall during background rewrites too.
  const s = await serve(process.argv[2], { bulkQuietMs: 0 });
  const ack = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  for (let i = 0; ; i++) {
    const slug = SLUGS[i % SLUGS.length];
    const current = s.store.event(slug);
    if (BULK.length && i % 3 === 1) {
      const bulkSlug = BULK[i % BULK.length];
      const event = s.store.event(bulkSlug)!;
      const title = `${bulkSlug} ${event.revision + 1}`;
      const { record, userErrors } = await s.editing.updateEvent('Kill test', { slug: bulkSlug, expectedRevision: event.revision, patch: { title }, note: 'bulk' });
      if (!record) throw new Error(JSON.stringify(userErrors));
      ack({ type: 'Event', slug: bulkSlug, revision: record.revision, title });
    } else if (i % 5 === 4) {
      const source = s.store.source('rferl')!;
      const name = `RFE/RL ${source.revision + 1}`;
      const { record, userErrors } = await s.editing.saveSource('Kill test', { record: { slug: 'rferl', name, kind: 'NEWS_OUTLET' }, expectedRevision: source.revision });
      if (!record) throw new Error(JSON.stringify(userErrors));
      ack({ type: 'Source', slug: 'rferl', revision: record.revision, title: name });
    } else if (!current) {
      const event = { slug, title: `${slug} 1`, summary: 'A test event.', category: 'STATEMENT', date: '2012-11-05', precision: 'DAY', place: 'syria', sources: [{ source: 'rferl' }] };
      const { record, userErrors } = await s.editing.createEvent('Kill test', { event });
      if (!record) throw new Error(JSON.stringify(userErrors));
      ack({ type: 'Event', slug, revision: record.revision, title: record.title });
    } else {
      const title = `${slug} ${current.revision + 1}`;
      // Every other update moves the event to the next day and back: its file is renamed each time.
      const date = current.date === '2012-11-05' ? '2012-11-06' : '2012-11-05';
      const { record, userErrors } = await s.editing.updateEvent('Kill test', { slug, expectedRevision: current.revision, patch: { title, date }, note: 'stream' });
      if (!record) throw new Error(JSON.stringify(userErrors));
      ack({ type: 'Event', slug, revision: record.revision, title });
    }
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
