import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer } from '../../create-server';

describe('the page router', () => {
  it('says how to build the page when it is missing, instead of failing', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-nopage-'));
    const server = await createServer({ store: new EventStore(await loadDataset('events')), logger: pino({ level: 'silent' }), pageDir: empty });
    try {
      const base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
      const res = await fetch(`${base}/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe(`The timeline page is not built: run "npm run build" (it writes ${empty}). The API is at /graphql.`);
      expect((await fetch(`${base}/nothing-here.js`)).status).toBe(404);
    } finally {
      await server.stop();
      await fs.rm(empty, { recursive: true, force: true });
    }
  });
});
