/**
 * Opens Dateline's data and the parts that change it, wired in one straight line: the storage (the folder, or
 * PostgreSQL when DATABASE_URL is set) is opened, its data
 * becomes the store, the editing service commits through the storage, and every committed change (from a mutation, a
 * hand edit of the folder, or another replica) is applied to the store and published to live subscribers by the one
 * listener. Used by `index.ts` and by the tests that start the real server.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { CommittedChange, EntityType } from './data/change';
import { LiveChanges } from './live/live-changes';
import { applyAndPublish } from './live/publish-applied';
import { applyCommitted } from './storage/apply-committed';
import { EditingService } from './storage/editing';
import { FileStorage } from './storage/files/file-storage';
import { HISTORY_DIR } from './storage/files/folder';
import { FILES_EDITOR } from './storage/files/hand-edits';
import { PostgresStorage, type FollowerStatus } from './storage/postgres/postgres-storage';
import type { Storage } from './storage/storage';
import { storeFileForm } from './storage/store-records';
import { ChangeLog } from './store/change-log';
import { EventStore } from './store/event-store';

/** Where the data lives and how the service follows it. */
export interface ServiceOptions {
  /** The data folder (EVENTS_DIR), the store when no database is configured. */
  eventsDir: string;
  /** PostgreSQL shared by every replica (DATABASE_URL); null or none: the folder is the store. */
  databaseUrl?: string | null;
  /** With a database: milliseconds between backstop reads of the change log (CHANGE_POLL_MS). */
  changePollMs?: number;
  /** With a database: not ready after this many milliseconds without confirming it is current (REPLICA_MAX_LAG_MS). */
  replicaMaxLagMs?: number;
  logger: Logger;
  /** Pick up hand edits of the folder while serving (default true). */
  watch?: boolean;
  /** Most changes waiting for one live subscriber. */
  liveQueueLimit?: number;
}

/** The opened data and the parts around it; `close` stops following changes and releases the files. */
export interface DatelineService {
  store: EventStore;
  storage: Storage;
  editing: EditingService;
  live: LiveChanges;
  /** The change feed and every record's revisions, kept current by the listener. */
  changeLog: ChangeLog;
  /** Every change since the data was first loaded, as opened (later ones are applied by the listener). */
  openedChanges: CommittedChange[];
  /** Whether this replica is current with the shared database, for /readyz; null for the folder (always current). */
  status: (() => FollowerStatus) | null;
  close(): Promise<void>;
}

/** Opens the database, or else the folder `eventsDir`, as the store and wires storage → store → editing → live. */
export async function openService(options: ServiceOptions): Promise<DatelineService> {
  const { eventsDir, databaseUrl, logger, watch = true, liveQueueLimit } = options;
  const storage = databaseUrl
    ? new PostgresStorage({ url: databaseUrl, pollIntervalMs: options.changePollMs, maxLagMs: options.replicaMaxLagMs, log: logger })
    : new FileStorage({ dir: eventsDir, watch, log: (level, message) => logger[level](message) });
  const { dataset, changes } = await storage.open();
  // Revision 1 of a record never changed is the record as first loaded: from the folder by `files`, or imported.
  const loadedAs = storage instanceof PostgresStorage ? storage.loadedAs : { at: firstLoadedAt(eventsDir), editor: FILES_EDITOR };
  const store = new EventStore(dataset);
  const changeLog = new ChangeLog(
    {
      // Asked only for records never changed, which are still as loaded. A place's own file form comes from the
      // storage: the store keeps places with the time zone they inherit.
      formOf: (type: EntityType, slug: string) =>
        type === 'Event' ? storeFileForm(store, type, slug) : (storage.catalogue(type).find((r) => r.slug === slug) ?? null),
      ...loadedAs,
    },
    changes,
  );
  const live = new LiveChanges({ queueLimit: liveQueueLimit, lastSeq: changes.length ? changes[changes.length - 1].seq : 0 });
  storage.onChanges((committed) => {
    try {
      applyAndPublish(store, live, committed, (applied) => {
        applyCommitted(store, [...applied], { placeRecords: () => storage.catalogue('Place') });
        changeLog.append(applied);
      });
    } catch (err) {
      // A committed change the store cannot take is a bug, not a client's mistake: say so loudly, keep serving.
      logger.error({ err, seqs: committed.map((c) => c.seq) }, 'a committed change could not be applied to the store');
    }
  });
  const editing = new EditingService(store, storage, storage);
  return {
    store,
    storage,
    editing,
    live,
    changeLog,
    openedChanges: changes,
    status: storage instanceof PostgresStorage ? () => storage.status() : null,
    close: () => storage.close(),
  };
}

/** When the folder was first loaded: its baseline copy is made then and never written again (see storage/files). */
function firstLoadedAt(eventsDir: string): string {
  try {
    return statSync(path.join(eventsDir, HISTORY_DIR, 'baseline')).mtime.toISOString();
  } catch {
    return new Date().toISOString();
  }
}
