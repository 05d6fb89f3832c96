/**
 * PostgreSQL as the shared system of record: many replicas, one database. Each replica reads everything at open,
 * then follows the change log: after each of its own commits, on each ring of the doorbell, and on a backstop timer
 * it applies the changes after the last `seq` it applied, in order, each once.
 */
import type { Pool } from 'pg';
import type { CommittedChange, EntityType, FileForm } from '../../data/change';
import type { RecordSource } from '../editing';
import type { ChangeListener, CommitRefusal, OpenedStorage, ProposedChange, Storage } from '../storage';
import { changesAfter, commitProposal, timed, type CommitPhases } from './change-log';
import { DatabaseError } from './database-error';
import { Doorbell, type FollowerLog } from './doorbell';
import { migrate } from './migrate';
import { createPool } from './pool';
import { readDataset } from './read-dataset';
import type { CatalogueType } from './snapshot';
import { TABLE_OF } from './tables';

/** How to reach the database and how closely to follow it. */
export interface PostgresStorageOptions {
  /** A `postgres://` connection string (DATABASE_URL). */
  url: string;
  /** Milliseconds between backstop reads of the change log, for rings that were lost (default 1000). */
  pollIntervalMs?: number;
  /** Not ready once this many milliseconds passed without confirming every change is applied (default 5000). */
  maxLagMs?: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  log?: FollowerLog;
}

/** Whether this replica is current with the database, for `/readyz`. */
export interface FollowerStatus {
  ready: boolean;
  /** The last change applied. */
  lastAppliedSeq: number;
  /** The newest change this replica has heard of (from the doorbell or the log). */
  latestKnownSeq: number;
  /** Milliseconds since it last confirmed that it had applied every committed change. */
  lagMs: number;
}

/** Revision 1's editor for every imported record (the API's contract). */
export const IMPORT_EDITOR = 'import';

/** Changes read from the log per query while catching up. */
const PAGE = 500;
/** A commit whose change cannot be read back (the database went away just after COMMIT) retries this often. */
const COMMIT_CATCH_UP_TRIES = 5;

/**
 * Connections the pool keeps open however long they are idle (the others close after 10 s idle, node-postgres's
 * default): at editorial rates most edits come after a quiet spell, and each would otherwise first open a connection
 * (a new server process, the password exchange), tens of milliseconds before its record is even read. Two: an edit's
 * record read, and the commit (or catch-up) of the edit before it.
 */
export const KEPT_CONNECTIONS = 2;

const QUIET: FollowerLog = { info: () => undefined, warn: () => undefined };

/** The {@link Storage} of `DATABASE_URL`; also the editing service's source of records in file form. */
export class PostgresStorage implements Storage, RecordSource {
  private readonly pool: Pool;
  private readonly listeners: ChangeListener[] = [];
  private readonly doorbell: Doorbell;
  private readonly log: FollowerLog;
  private lastApplied = 0;
  private latestKnown = 0;
  private confirmedAt = Date.now();
  /** Catch-ups run one at a time, in this chain; `pending` says one is queued and not yet started. */
  private chain: Promise<void> = Promise.resolve();
  private pending = false;
  /** This replica's commits waiting for the database's answer. */
  private inFlight = 0;
  /** A ring asked to read the log whatever the last seq heard (the timer, a (re)connection). */
  private lookAnyway = false;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** How revision 1 of the imported records is told (known once opened). */
  loadedAs: { at: string; editor: string } = { at: new Date(0).toISOString(), editor: IMPORT_EDITOR };
  /** The catalogues in file form and file order, as of the last change applied. */
  private catalogues: Record<CatalogueType, FileForm[]> = { Place: [], Actor: [], Source: [] };

  constructor(private readonly options: PostgresStorageOptions) {
    this.log = options.log ?? QUIET;
    this.pool = createPool(options.url, { max: options.poolSize ?? 10, min: KEPT_CONNECTIONS });
    this.doorbell = new Doorbell(options.url, (seq) => this.ring(seq), this.log);
  }

  /**
   * Migrates the database, reads the data set and every change, then starts following the log. Any failure is a
   * {@link DatabaseError} naming the database without its password, and leaves nothing open.
   */
  async open(): Promise<OpenedStorage> {
    try {
      return await this.openNow();
    } catch (err) {
      await this.close().catch(() => undefined);
      throw new DatabaseError(this.options.url, err);
    }
  }

  private async openNow(): Promise<OpenedStorage> {
    await migrate(this.pool);
    const { dataset, changes, lastSeq, catalogues, importedAt } = await readDataset(this.pool);
    this.lastApplied = this.latestKnown = lastSeq;
    this.catalogues = catalogues;
    this.loadedAs = { at: importedAt, editor: IMPORT_EDITOR };
    this.confirmedAt = Date.now();
    // Anything committed between the snapshot and LISTEN is caught by the ring every connection makes.
    await this.doorbell.start();
    this.timer = setInterval(() => this.ring(0), this.options.pollIntervalMs ?? 1000);
    this.timer.unref();
    return { dataset, changes };
  }

  /**
   * Commits in one statement; once COMMITted, applies every change up to it (others' first), then resolves. Its own
   * change is applied as the database answered it, without reading it back: rings heard while it is in flight wait
   * for it, so that the read they ask for cannot hold its answer up.
   */
  async commit(proposal: ProposedChange): Promise<CommittedChange | CommitRefusal> {
    const phases: CommitPhases = {};
    this.inFlight++;
    const committing = commitProposal(this.pool, proposal, phases).finally(() => this.inFlight--);
    const result = await committing.catch((err: Error) => {
      this.followUp();
      throw err;
    });
    // Queued first (applyOwn queues its catch-up at once), so that the rings held meanwhile are read after it.
    const applied = 'seq' in result ? timed(phases, 'apply', () => this.applyOwn(result)) : Promise.resolve();
    this.followUp();
    await applied;
    const { type, slug } = proposal.entity;
    this.log.debug?.({ type, slug, ...('seq' in result ? { seq: result.seq } : { refused: result.code }), phases }, 'commit phases');
    return result;
  }

  /** Applies every change up to `own`, retrying while the database does not answer the read of others' changes. */
  private async applyOwn(own: CommittedChange): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.catchUp(own);
      } catch (err) {
        if (attempt >= COMMIT_CATCH_UP_TRIES) {
          throw new Error(`change ${own.seq} is committed, but this replica could not read the change log to apply it (${(err as Error).message}); it will once the database answers`);
        }
        await new Promise((done) => setTimeout(done, 100 * attempt));
      }
    }
  }

  /** Calls `listener` with every change applied from now on, in order, once each. */
  onChanges(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  /** A record as the database holds it now, in file form (null when there is none). */
  async fileForm(type: EntityType, slug: string): Promise<FileForm | null> {
    const phases: CommitPhases = {};
    const { rows } = await timed(phases, 'read', () => this.pool.query<{ record: FileForm }>(`SELECT record FROM ${TABLE_OF[type]} WHERE slug = $1`, [slug]));
    this.log.debug?.({ type, slug, phases }, 'record read');
    return rows[0]?.record ?? null;
  }

  /** Every record of a catalogue in file form and file order, as of the last change applied. */
  catalogue(type: CatalogueType): FileForm[] {
    return [...this.catalogues[type]];
  }

  /** Where this replica stands against the database. */
  status(): FollowerStatus {
    const lagMs = Date.now() - this.confirmedAt;
    return {
      ready: !this.closed && lagMs <= (this.options.maxLagMs ?? 5000),
      lastAppliedSeq: this.lastApplied,
      latestKnownSeq: this.latestKnown,
      lagMs,
    };
  }

  /** Stops following and closes every connection; waits for a catch-up in progress. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.doorbell.close();
    await this.chain;
    await this.pool.end();
  }

  /** The doorbell rang with the newest seq, or 0 to look anyway (the timer, a (re)connection). */
  private ring(seq: number): void {
    if (seq > 0) this.latestKnown = Math.max(this.latestKnown, seq);
    else this.lookAnyway = true;
    this.followUp();
  }

  /**
   * Queues one catch-up (unless one is waiting) if a ring asked for it, and no commit of this replica's is in flight
   * (its answer comes first). The ring of a change already applied, such as this replica's own, asks for nothing.
   */
  private followUp(): void {
    if (this.closed || this.pending || this.inFlight > 0) return;
    if (!this.lookAnyway && this.latestKnown <= this.lastApplied) return;
    this.catchUp().catch((err: Error) => this.log.warn({ err: err.message }, 'change follower could not read the change log; will retry'));
  }

  /**
   * Applies every change after the last one applied, in order, until none is left; with `own`, at least up to it
   * (delivered without a read when it is the very next one). Without `own`, reads only if a ring asked for it.
   */
  private catchUp(own?: CommittedChange): Promise<void> {
    if (!own) this.pending = true;
    const run = this.chain.then(async () => {
      if (!own) this.pending = false;
      if (this.closed) return;
      if (own && own.seq <= this.lastApplied) return;
      if (own && own.seq === this.lastApplied + 1) return this.deliver([own]);
      if (!own && !this.lookAnyway && this.latestKnown <= this.lastApplied) return;
      this.lookAnyway = false;
      try {
        for (;;) {
          const changes = await changesAfter(this.pool, this.lastApplied, PAGE);
          this.deliver(changes);
          if (changes.length < PAGE) break;
        }
      } catch (err) {
        this.lookAnyway = true; // the next ring or tick tries again
        throw err;
      }
      this.confirmedAt = Date.now();
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private deliver(changes: CommittedChange[]): void {
    if (!changes.length) return;
    this.lastApplied = changes[changes.length - 1].seq;
    this.latestKnown = Math.max(this.latestKnown, this.lastApplied);
    for (const { entity, after } of changes) {
      if (entity.type === 'Event') continue;
      const list = this.catalogues[entity.type];
      const at = list.findIndex((r) => r.slug === entity.slug);
      if (at >= 0) list[at] = after;
      else list.push(after);
    }
    for (const listener of this.listeners) {
      try {
        listener(changes);
      } catch (err) {
        this.log.warn({ err: (err as Error).message, seq: this.lastApplied }, 'a change listener failed');
      }
    }
  }
}
