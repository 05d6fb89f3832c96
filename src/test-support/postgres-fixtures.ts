/** Databases and proposals for the PostgreSQL storage tests. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool, PoolClient } from 'pg';
import type { FileForm } from '../data/change';
import type { ProposedChange } from '../storage/storage';
import { importFolder } from '../storage/postgres/import-folder';
import { migrate } from '../storage/postgres/migrate';
import { createPool } from '../storage/postgres/pool';
import type { TestPostgres } from './postgres';

/** The default data folder at the project root. */
export const EVENTS_DIR = path.resolve(__dirname, '..', '..', 'events');

/** A new database on `pg`, migrated, with `dir` imported; returns its connection string. */
export async function importedDatabase(pg: TestPostgres, dir = EVENTS_DIR): Promise<string> {
  const url = await pg.createDatabase();
  await importInto(url, dir);
  return url;
}

/** Migrates the (empty) database of `url` and imports `dir` into it. */
export async function importInto(url: string, dir: string): Promise<void> {
  const pool = createPool(url);
  try {
    await migrate(pool);
    await importFolder(pool, dir);
  } finally {
    await pool.end();
  }
}

/** The places of the default folder, in file form and file order. */
export function placesInFile(): FileForm[] {
  return (JSON.parse(readFileSync(path.join(EVENTS_DIR, 'places.json'), 'utf8')) as { places: FileForm[] }).places;
}

/** A place of the default folder, in its file form. */
export function placeOf(slug: string): FileForm {
  const place = placesInFile().find((p) => p.slug === slug);
  if (!place) throw new Error(`no place ${slug} in ${EVENTS_DIR}`);
  return place;
}

/** A proposal renaming place `slug` from `before` (its file form at `expectedRevision`) to `name`. */
export function renamePlace(before: FileForm, name: string, expectedRevision: number, editor = 'Night desk'): ProposedChange {
  return {
    entity: { type: 'Place', slug: String(before.slug) },
    kind: 'UPDATED',
    expectedRevision,
    editor,
    note: `renamed to ${name}`,
    before,
    after: { ...before, name },
  };
}

/** A proposal creating a new actor `slug`. */
export function createActor(slug: string, editor = 'Night desk'): ProposedChange {
  return {
    entity: { type: 'Actor', slug },
    kind: 'CREATED',
    expectedRevision: null,
    editor,
    note: null,
    before: null,
    after: { slug, name: `Actor ${slug}`, kind: 'ORGANIZATION' },
  };
}

/** Retries `check` (which throws or rejects until what it waits for has happened) for at most `ms`. */
export async function eventually(check: () => unknown, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** A pool on `url` whose connections note the text of every statement they send, in `sent` (COPY's too). */
export function countingPool(url: string): { pool: Pool; sent: string[] } {
  const sent: string[] = [];
  const pool = createPool(url);
  pool.on('connect', (client: PoolClient) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      sent.push(typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text));
      return query(...args);
    };
  });
  return { pool, sent };
}
