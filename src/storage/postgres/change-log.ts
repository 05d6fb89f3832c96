/**
 * The change log in SQL: committing one proposal in one transaction (row lock on the record, the counter row for
 * `seq`, the record, the change, the doorbell), and reading the changes after a sequence number.
 */
import { performance } from 'node:perf_hooks';
import type { Pool, PoolClient } from 'pg';
import type { CommittedChange, EntityType, FileForm } from '../../data/change';
import { changedFields } from '../../data/file-form';
import type { CommitRefusal, ProposedChange } from '../storage';
import { TABLE_OF } from './tables';

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

/**
 * Commits `proposal` if its record is still at `expectedRevision`: durable (COMMIT) when it resolves. Concurrent
 * proposals for one record queue on its row lock, and the loser sees the winner's revision: one STALE_REVISION.
 */
export async function commitProposal(pool: Pool, proposal: ProposedChange, phases: CommitPhases = {}): Promise<CommittedChange | CommitRefusal> {
  const client = await timed(phases, 'checkout', () => pool.connect());
  try {
    await timed(phases, 'begin', () => client.query('BEGIN'));
    const result = await commitIn(client, proposal, phases);
    await timed(phases, 'commit', () => client.query('COMMIT'));
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (err instanceof LostCreationRace) return { code: 'DUPLICATE_SLUG' };
    throw err;
  } finally {
    client.release();
  }
}

/** Milliseconds each step of one commit took, in the order they ran (the debug log's "commit phases", read by bench:replicas). */
export type CommitPhases = Record<string, number>;

/** Runs `work`, adding the milliseconds it took to `phases[name]`. */
export async function timed<T>(phases: CommitPhases, name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases[name] = Math.round(((phases[name] ?? 0) + performance.now() - started) * 1000) / 1000;
  }
}

/** A creation found its slug taken by a racing one after taking a `seq`: thrown so that the whole transaction rolls back. */
class LostCreationRace extends Error {}

async function commitIn(client: PoolClient, proposal: ProposedChange, phases: CommitPhases): Promise<CommittedChange | CommitRefusal> {
  const { type, slug } = proposal.entity;
  const { rows } = await timed(phases, 'lock', () => client.query<{ revision: number }>(`SELECT revision FROM ${TABLE_OF[type]} WHERE slug = $1 FOR UPDATE`, [slug]));
  const current = rows[0]?.revision ?? null;
  if (proposal.expectedRevision === null && current !== null) return { code: 'DUPLICATE_SLUG' };
  if (proposal.expectedRevision !== null && current === null) return { code: 'NOT_FOUND' };
  if (proposal.expectedRevision !== null && current !== proposal.expectedRevision) return { code: 'STALE_REVISION', currentRevision: current! };

  const revision = (current ?? 0) + 1;
  const fields = changedFields(type, proposal.before, proposal.after);
  const written = await timed(phases, 'write', () => client.query<{ seq: string; at: Date; written: number }>(writeSql(type, current === null), [
    slug,
    JSON.stringify(proposal.after),
    revision,
    String(proposal.after.date ?? ''),
    proposal.editor,
    proposal.kind,
    type,
    proposal.note,
    fields,
    proposal.before === null ? null : JSON.stringify(proposal.before),
    CHANGES_CHANNEL,
  ]));
  const [row] = written.rows;
  if (row.written !== 1) throw new LostCreationRace();
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    editor: proposal.editor,
    kind: proposal.kind,
    entity: { type, slug },
    revision,
    note: proposal.note,
    changedFields: fields,
    before: proposal.before,
    after: proposal.after,
  };
}

/**
 * One statement (one round trip) that takes the next `seq` from the counter row (locked until COMMIT: commits are
 * numbered, and become visible, in one order), writes the record and the change, and rings the doorbell (delivered
 * at COMMIT, and only if it commits). Parameters: slug, record, revision, date (events only), editor, kind, type,
 * note, changed fields, before, channel (every one is used, so that each has a type). `written` is 0 when a
 * creation lost a race for its slug.
 */
function writeSql(type: EntityType, creating: boolean): string {
  const table = TABLE_OF[type];
  const stamp = '(SELECT at FROM counter)';
  let record: string;
  if (!creating) {
    record = `UPDATE ${table} SET record = $2, revision = $3, updated_at = ${stamp}${table === 'events' ? ', date = $4' : ''} WHERE slug = $1 RETURNING 1`;
  } else if (table === 'events') {
    record = `INSERT INTO events (slug, record, revision, updated_at, date) VALUES ($1, $2, $3, ${stamp}, $4) ON CONFLICT (slug) DO NOTHING RETURNING 1`;
  } else {
    record = `INSERT INTO ${table} (slug, record, revision, updated_at, position)
      VALUES ($1, $2, $3, ${stamp}, (SELECT coalesce(max(position), -1) + 1 FROM ${table})) ON CONFLICT (slug) DO NOTHING RETURNING 1`;
  }
  return `WITH counter AS (
      UPDATE change_counter SET last_seq = last_seq + 1 RETURNING last_seq AS seq, date_trunc('milliseconds', clock_timestamp()) AS at
    ), record AS (${record}), change AS (
      INSERT INTO changes (${CHANGE_COLUMNS}) SELECT seq, at, $5, $6, $7, $1, $3, $8, $9, $10, $2 FROM counter WHERE EXISTS (SELECT 1 FROM record)
    )
    SELECT seq, at, (SELECT count(*)::int FROM record) AS written, pg_notify($11, seq::text), $4::text AS date FROM counter`;
}

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
