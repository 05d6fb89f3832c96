import { startTestServer, type TestServer } from '../../test-support/test-server';
import { mixedRequest } from '../mixed-load';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the mixed load of bench:attacks', () => {
  it('sends only requests the service answers with 200 and no errors, each kind with its own variables', async () => {
    const kinds = Array.from({ length: 12 }, (_, k) => mixedRequest(k));
    expect(new Set(kinds.map((r) => r.body ?? r.path)).size).toBe(kinds.length);
    for (const request of kinds) {
      const res = await fetch(new URL(request.path, server.url), {
        method: request.method,
        headers: { 'content-type': 'application/json' },
        body: request.body,
      });
      const text = await res.text();
      expect([request.path, res.status]).toEqual([request.path, 200]);
      if (request.method === 'POST') expect([request.body, JSON.parse(text).errors]).toEqual([request.body, undefined]);
    }
  });
});
