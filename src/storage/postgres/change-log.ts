/**
 * The change log in SQL: committing one proposal in one statement (`dateline_commit`: row lock on the record, the
 * counter row for `seq`, the record, the change, the doorbell), and reading the changes after a sequence number.
 */
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { CommittedChange, FileForm } from '../../data/change';
import { changedFields } from '../../data/file-form';
import type { CommitRefusal, ProposedChange } from '../storage';

/** The channel whose notifications carry the newest `seq` (a few bytes, far under NOTIFY's 8,000). */
export const CHANGES_CHANNEL = 'dateline_changes';

interface ChangeRow {
  seq: string;
  at: Date;
  editor: string;
  kind: CommittedChange['kind'];
  entity_type: CommittedChange['entity']['type'];
  entity_slug: string;
  revision: number;
  note: string | null;
  changed_fields: string[];
  before: FileForm | null;
  after: FileForm;
}

const CHANGE_COLUMNS = 'seq, at, editor, kind, entity_type, entity_slug, revision, note, changed_fields, before, after';

/** What `dateline_commit` (migration 002) answers. */
interface CommitRow {
  outcome: 'COMMITTED' | CommitRefusal['code'];
  current_revision: number | null;
  committed_seq: string | null;
  committed_at: Date | null;
  work_ms: number;
}

/** One statement, one round trip: `dateline_commit` locks, checks, writes and rings; autocommit makes it durable. */
const COMMIT_SQL = 'SELECT * FROM dateline_commit($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)';

/**
 * Commits `proposal` if its record is still at `expectedRevision`: durable (COMMIT) when it resolves. Concurrent
 * proposals for one record queue on its row lock, and the loser sees the winner's revision: one STALE_REVISION.
 * `phases` gets the milliseconds of the pool checkout, of the work inside the database (locks, writes) and of the
 * rest of the round trip (COMMIT, the network).
 */
export async function commitProposal(pool: Pool, proposal: ProposedChange, phases: CommitPhases = {}): Promise<CommittedChange | CommitRefusal> {
  const { type, slug } = proposal.entity;
  const fields = changedFields(type, proposal.before, proposal.after);
  const params = [
    type,
    slug,
    proposal.expectedRevision,
    JSON.stringify(proposal.after),
    String(proposal.after.date ?? ''),
    proposal.editor,
    proposal.kind,
    proposal.note,
    fields,
    proposal.before === null ? null : JSON.stringify(proposal.before),
    CHANGES_CHANNEL,
  ];
  const client = await timed(phases, 'checkout', () => pool.connect());
  let row: CommitRow;
  try {
    const started = performance.now();
    row = (await client.query<CommitRow>(COMMIT_SQL, params)).rows[0];
    phases.work = round(row.work_ms);
    phases.commit = round(performance.now() - started - row.work_ms);
    client.release();
  } catch (err) {
    // A connection that failed mid-statement is not reused.
    client.release(err as Error);
    throw err;
  }
  if (row.outcome === 'STALE_REVISION') return { code: 'STALE_REVISION', currentRevision: row.current_revision! };
  if (row.outcome !== 'COMMITTED') return { code: row.outcome };
  return {
    seq: Number(row.committed_seq),
    at: row.committed_at!.toISOString(),
    editor: proposal.editor,
    kind: proposal.kind,
    entity: { type, slug },
    revision: row.current_revision!,
    note: proposal.note,
    changedFields: fields,
    before: proposal.before,
    after: proposal.after,
  };
}

/** Milliseconds each step of one commit took, in the order they ran (the debug log's "commit phases", read by bench:replicas). */
export type CommitPhases = Record<string, number>;

/** Runs `work`, adding the milliseconds it took to `phases[name]`. */
export async function timed<T>(phases: CommitPhases, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = round((phases[name] ?? 0) + performance.now() - started);
  }
}

/** Milliseconds to the microsecond, enough for a log line. */
const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Up to `limit` changes after `seq`, in order. */
export async function changesAfter(db: Pool | PoolClient, seq: number, limit: number): Promise<CommittedChange[]> {
  const { rows } = await db.query<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, limit]);
  return rows.map(toChange);
}

/** The newest `seq` committed (0 when none). */
export async function lastCommittedSeq(db: Pool | PoolClient): Promise<number> {
  const { rows } = await db.query<{ last_seq: string }>('SELECT last_seq FROM change_counter');
  return Number(rows[0].last_seq);
}

function toChange(row: ChangeRow): CommittedChange {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    editor: row.editor,
    kind: row.kind,
    entity: { type: row.entity_type, slug: row.entity_slug },
    revision: row.revision,
    note: row.note,
    changedFields: row.changed_fields,
    before: row.before,
    after: row.after,
  };
}
