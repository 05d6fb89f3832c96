/**
 * The change log in SQL: committing one proposal in one transaction (row lock on the record, the counter row for
 * `seq`, the record, the change, the doorbell), and reading the changes after a sequence number.
 */
import type { Pool, PoolClient } from 'pg';
import type { CommittedChange, FileForm } from '../../data/change';
import { changedFields } from '../../data/file-form';
import type { CommitRefusal, ProposedChange } from '../storage';
import { inTransaction } from './pool';
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
export async function commitProposal(pool: Pool, proposal: ProposedChange): Promise<CommittedChange | CommitRefusal> {
  try {
    return await inTransaction(pool, (client) => commitIn(client, proposal));
  } catch (err) {
    if (err instanceof LostCreationRace) return { code: 'DUPLICATE_SLUG' };
    throw err;
  }
}

/** A creation found its slug taken by a racing one after taking a `seq`: thrown so that the whole transaction rolls back. */
class LostCreationRace extends Error {}

async function commitIn(client: PoolClient, proposal: ProposedChange): Promise<CommittedChange | CommitRefusal> {
    const table = TABLE_OF[proposal.entity.type];
    const { rows } = await client.query<{ revision: number }>(`SELECT revision FROM ${table} WHERE slug = $1 FOR UPDATE`, [proposal.entity.slug]);
    const current = rows[0]?.revision ?? null;
    if (proposal.expectedRevision === null && current !== null) return { code: 'DUPLICATE_SLUG' as const };
    if (proposal.expectedRevision !== null && current === null) return { code: 'NOT_FOUND' as const };
    if (proposal.expectedRevision !== null && current !== proposal.expectedRevision) return { code: 'STALE_REVISION' as const, currentRevision: current! };

    // The counter row is locked until COMMIT: commits are numbered, and become visible, in one order.
    const counter = await client.query<{ seq: string; at: Date }>(
      `UPDATE change_counter SET last_seq = last_seq + 1 RETURNING last_seq AS seq, date_trunc('milliseconds', clock_timestamp()) AS at`,
    );
    const change: CommittedChange = {
      seq: Number(counter.rows[0].seq),
      at: counter.rows[0].at.toISOString(),
      editor: proposal.editor,
      kind: proposal.kind,
      entity: { ...proposal.entity },
      revision: (current ?? 0) + 1,
      note: proposal.note,
      changedFields: changedFields(proposal.entity.type, proposal.before, proposal.after),
      before: proposal.before,
      after: proposal.after,
    };
    if (current === null && !(await insertRecord(client, table, change))) throw new LostCreationRace();
    if (current !== null) await updateRecord(client, table, change);
    await client.query(`INSERT INTO changes (${CHANGE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, [
      change.seq,
      change.at,
      change.editor,
      change.kind,
      change.entity.type,
      change.entity.slug,
      change.revision,
      change.note,
      change.changedFields,
      change.before === null ? null : JSON.stringify(change.before),
      JSON.stringify(change.after),
    ]);
    // Delivered at COMMIT, and only if it commits.
    await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, String(change.seq)]);
    return change;
}

/** Inserts a new record; false when a racing creation of the same slug got there first. */
async function insertRecord(client: PoolClient, table: string, change: CommittedChange): Promise<boolean> {
  const record = JSON.stringify(change.after);
  const { rowCount } =
    table === 'events'
      ? await client.query(
          `INSERT INTO events (slug, date, record, revision, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING`,
          [change.entity.slug, String(change.after.date), record, change.revision, change.at],
        )
      : await client.query(
          `INSERT INTO ${table} (slug, position, record, revision, updated_at)
           VALUES ($1, (SELECT coalesce(max(position), -1) + 1 FROM ${table}), $2, $3, $4) ON CONFLICT (slug) DO NOTHING`,
          [change.entity.slug, record, change.revision, change.at],
        );
  return rowCount === 1;
}

async function updateRecord(client: PoolClient, table: string, change: CommittedChange): Promise<void> {
  const record = JSON.stringify(change.after);
  if (table === 'events') {
    await client.query('UPDATE events SET date = $2, record = $3, revision = $4, updated_at = $5 WHERE slug = $1', [
      change.entity.slug,
      String(change.after.date),
      record,
      change.revision,
      change.at,
    ]);
  } else {
    await client.query(`UPDATE ${table} SET record = $2, revision = $3, updated_at = $4 WHERE slug = $1`, [change.entity.slug, record, change.revision, change.at]);
  }
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
