/** A copy of the repository's events/ folder served by a FileStorage, a store and an EditingService, for tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommittedChange } from '../../data/change';
import { EventStore } from '../../store/event-store';
import { applyCommitted } from '../apply-committed';
import { EditingService } from '../editing';
import { FileStorage, type FileStorageOptions } from '../files/file-storage';

/** The repository's data folder. */
export const EVENTS = path.join(__dirname, '../../../events');

/** A fresh copy of events/ (without its schema folder) in a temporary folder. */
export function copyEvents(root: string): string {
  const dir = fs.mkdtempSync(path.join(root, 'events-'));
  for (const name of fs.readdirSync(EVENTS)) if (name.endsWith('.json')) fs.copyFileSync(path.join(EVENTS, name), path.join(dir, name));
  return dir;
}

/** A temporary root folder, removed by `removeRoot`. */
export function makeRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-storage-'));
}

/** Removes a temporary root folder. */
export function removeRoot(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** The pieces wired as the server wires them: storage → store (via applyCommitted) → editing. */
export interface Served {
  storage: FileStorage;
  store: EventStore;
  editing: EditingService;
  /** Every change the storage told its listener of, in order. */
  heard: CommittedChange[];
  /** What the storage logged. */
  logged: string[];
  /** Changes the storage had when opened. */
  opened: CommittedChange[];
}

/** Opens `dir` as the server does. */
export async function serve(dir: string, options: Partial<FileStorageOptions> = {}): Promise<Served> {
  const logged: string[] = [];
  const storage = new FileStorage({ dir, watch: false, log: (level, message) => logged.push(`${level}: ${message}`), ...options });
  const { dataset, changes } = await storage.open();
  const store = new EventStore(dataset);
  const heard: CommittedChange[] = [];
  storage.onChanges((committed) => {
    applyCommitted(store, committed, { placeRecords: () => storage.catalogue('Place') });
    heard.push(...committed);
  });
  return { storage, store, editing: new EditingService(store, storage, storage), heard, logged, opened: changes };
}

/** The lines of the journal of `dir`. */
export function journalLines(dir: string): { change: CommittedChange; file: string }[] {
  const file = path.join(dir, 'history', 'journal.ndjson');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
