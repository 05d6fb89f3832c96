import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyCycle, load } from '../http-load';
import { median } from '../varied-throughput';

describe('BodyCycle', () => {
  it('gives the bodies in turn, starting again after the last', () => {
    const cycle = new BodyCycle(['a', 'b', 'c']);
    expect(Array.from({ length: 2 }, () => cycle.take())).toEqual(['a', 'b']);
    expect(cycle.passes).toBe(0); // a warm-up goes on until every body was sent once
    expect(Array.from({ length: 5 }, () => cycle.take())).toEqual(['c', 'a', 'b', 'c', 'a']);
    expect(cycle.passes).toBe(2);
  });

  it('renewing, sends each pass after the first with other bytes: the same JSON, never the same body twice', () => {
    const cycle = new BodyCycle(['{"n":1}', '{"n":2}'], true);
    const sent = Array.from({ length: 6 }, () => cycle.take());
    expect(sent).toEqual(['{"n":1}', '{"n":2}', '{"n":1} ', '{"n":2} ', '{"n":1}  ', '{"n":2}  ']);
    expect(new Set(sent).size).toBe(sent.length);
    expect(sent.map((s) => JSON.parse(s))).toEqual([{ n: 1 }, { n: 2 }, { n: 1 }, { n: 2 }, { n: 1 }, { n: 2 }]);
  });

  it('carries on across loads, so a server loaded in rounds meets the whole list before any body comes back', async () => {
    const received: string[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString());
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const bodies = Array.from({ length: 100_000 }, (_, i) => `{"n":${i}}`);
      const cycle = new BodyCycle(bodies);
      // One connection: bodies arrive in the order they are sent.
      await load(url, cycle, 0.2, 1);
      const first = received.length;
      await load(url, cycle, 0.2, 1);
      expect(first).toBeGreaterThan(0);
      expect(received.length).toBeGreaterThan(first);
      expect(received).toEqual(bodies.slice(0, received.length));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([0.3, 0.1, 0.2])).toBe(0.2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});
