/** HTTP helpers the throughput benchmarks share: one POST, comparing answers, and a fixed-duration load. */
import autocannon from 'autocannon';
import type { CeilingAnswer } from './bench-server';

/** Headers node sets per response or connection; all others must match across targets. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** POSTs a JSON body; the answer's headers leave out those that differ per response. */
export async function post(url: string, body: string): Promise<{ status: number; text: string; headers: Record<string, string> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!PER_RESPONSE.has(name)) headers[name] = value;
  });
  return { status: res.status, text: await res.text(), headers };
}

/** Whether two answers have the same bytes and the same headers. */
export function sameAnswer(a: CeilingAnswer, b: CeilingAnswer): boolean {
  return a.text === b.text && JSON.stringify(Object.entries(a.headers).sort()) === JSON.stringify(Object.entries(b.headers).sort());
}

/**
 * Request bodies sent in turn across loads: a load goes on where the one before it left off, so a server loaded in
 * several rounds meets the whole list before any body comes back (a response cache smaller than the list never
 * hits), and servers given cycles of the same list get the same sequence of requests.
 */
export class BodyCycle {
  private next = 0;
  private pass = 0;

  /**
   * @param renew whether each pass through the list after the first sends each body with as many spaces after it
   *   as passes before (JSON all the same, but other bytes), so that a cache keyed on the exact bytes never meets
   *   a body twice, however long the load; a ceiling then looks the body up without them.
   */
  constructor(
    readonly bodies: string[],
    private readonly renew = false,
  ) {}

  /** How many times the whole list was sent. */
  get passes(): number {
    return this.pass;
  }

  /** The next body. */
  take(): string {
    const body = this.bodies[this.next];
    const sent = this.renew && this.pass > 0 ? body + ' '.repeat(this.pass) : body;
    if (++this.next === this.bodies.length) {
      this.next = 0;
      this.pass++;
    }
    return sent;
  }
}

/**
 * Loads `url` for `seconds` with `connections` connections, POSTing `bodies` in turn (one body: the same request
 * every time); fails on any error, non-2xx answer or timeout. autocannon counts requests and stops only every
 * `sampleMs` (the load lasts `seconds` rounded up to it), and `requests.average` is per sample: a short load wants a
 * short sample, and its rate is `requests.total / duration`.
 */
export async function load(url: string, bodies: string | string[] | BodyCycle, seconds: number, connections: number, sampleMs = 1000) {
  const list = typeof bodies === 'string' ? [bodies] : bodies instanceof BodyCycle ? bodies.bodies : bodies;
  const cycle = bodies instanceof BodyCycle ? bodies : new BodyCycle(list);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    sampleInt: sampleMs,
    ...(list.length === 1
      ? { body: list[0] }
      : { requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: cycle.take() }) }] }),
  });
  if (result.errors || result.non2xx || result.timeouts) {
    throw new Error(`load on ${url} failed: ${result.errors} errors, ${result.non2xx} non-2xx answers, ${result.timeouts} timeouts`);
  }
  return result;
}

/** Runs `task` over `items` with at most `width` at a time, keeping the results in order. */
export async function inPool<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i]);
      }
    }),
  );
  return out;
}
