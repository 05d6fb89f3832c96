/**
 * The writing side of `npm run bench:live`: a data folder with many events to edit, and an editor that changes them
 * through real `updateEvent` mutations over HTTP. One edit per event is in flight at a time (each names the revision
 * it read), so the rate the bench can ask for is bounded by the number of events over the acknowledgement time: with
 * only the 7 default events it was about 7 / 0.35 s; with a thousand, the server is what limits it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { clock } from './live-subscribers';

/** One edit made: its change key (`slug:revision`, as subscribers note it) and when it was sent and acknowledged. */
export interface MadeEdit {
  key: string;
  sent: number;
  acknowledged: number;
}

/** The prefix of the slugs of the events `addBenchEvents` writes. */
const BENCH_PREFIX = 'bench';

/**
 * Writes `count` more events into the data folder `dir`, copies of its own event files under new slugs
 * (`bench-<n>-<slug>`), each in a file of its own as the loader names them; returns every event's slug in `dir`.
 */
export function addBenchEvents(dir: string, count: number): string[] {
  const originals = readdirSync(dir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}-.+\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { slug: string; date: string });
  const slugs = originals.map((event) => event.slug);
  for (let n = 0; n < count; n++) {
    const original = originals[n % originals.length];
    const slug = `${BENCH_PREFIX}-${n}-${original.slug}`;
    writeFileSync(path.join(dir, `${original.date}-${slug}.json`), `${JSON.stringify({ ...original, slug }, null, 2)}\n`);
    slugs.push(slug);
  }
  return slugs;
}

/** Edits events through `updateEvent`, each with the revision it has, never two edits of one event at once. */
export class Editor {
  private readonly revisions = new Map<string, number>();
  private readonly busy = new Set<string>();
  private turn = 0;
  /** Why edits failed, if any did. */
  readonly failures: string[] = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly slugs: string[],
  ) {}

  private async post(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` }, body: JSON.stringify({ query, variables }) });
    return res.json();
  }

  /** Reads every event's revision, a page at a time. */
  async load(): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const body = await this.post('query Revisions($after: String) { events(first: 100, after: $after) { edges { node { slug revision } } pageInfo { hasNextPage endCursor } } }', { after });
      const page = body.data.events as { edges: { node: { slug: string; revision: number } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      for (const { node } of page.edges) this.revisions.set(node.slug, node.revision);
      if (!page.pageInfo.hasNextPage) return;
      after = page.pageInfo.endCursor;
    }
  }

  /** Edits the next event not being edited; null when all are, or when the edit failed (see `failures`). */
  async edit(): Promise<MadeEdit | null> {
    const chosen = this.next();
    if (!chosen) return null;
    this.busy.add(chosen);
    try {
      return await this.editOne(chosen);
    } catch (err) {
      // A connection refused or reset under load is counted as a failed edit, as an error answer is.
      this.failures.push(`${String(err)}: ${String((err as { cause?: unknown }).cause)}`);
      return null;
    } finally {
      this.busy.delete(chosen);
    }
  }

  /**
   * One edit that must succeed (to mark a phase's start): retried for up to a minute, as a server that could not keep
   * up with the last phase may still be working through the edits it was sent.
   */
  async editOrFail(): Promise<MadeEdit> {
    for (let i = 0; i < 60; i++) {
      const change = await this.edit();
      if (change) return change;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`edits keep failing: ${this.failures.slice(-1)[0]}`);
  }

  /** The next event in turn that is not being edited. */
  private next(): string | undefined {
    for (let i = 0; i < this.slugs.length; i++) {
      const slug = this.slugs[(this.turn + i) % this.slugs.length];
      if (!this.busy.has(slug)) {
        this.turn += i + 1;
        return slug;
      }
    }
    return undefined;
  }

  private async editOne(slug: string): Promise<MadeEdit | null> {
    const revision = this.revisions.get(slug)!;
    const sent = clock();
    const body = await this.post(
      'mutation Bench($slug: String!, $rev: Int!, $title: String!) { updateEvent(input: { slug: $slug, expectedRevision: $rev, patch: { title: $title }, note: "bench" }) { event { revision } userErrors { message } } }',
      { slug, rev: revision, title: `Bench edit ${revision + 1}` },
    );
    const acknowledged = clock();
    const made = body.data?.updateEvent?.event?.revision as number | undefined;
    if (!made) {
      // Under heavy load a mutation can run into the execution deadline; it is counted, and the bench goes on.
      // The error's code first (LIMIT_EXCEEDED: refused at once by a full editing queue; TIMEOUT: waited too long).
      this.failures.push(`${body.errors?.[0]?.extensions?.code ?? 'other'} ${JSON.stringify(body.errors ?? body).slice(0, 200)}`);
      const current = await this.post(`query Revision($slug: String!) { event(slug: $slug) { revision } }`, { slug });
      this.revisions.set(slug, current.data.event.revision);
      return null;
    }
    this.revisions.set(slug, made);
    return { key: `${slug}:${made}`, sent, acknowledged };
  }
}
