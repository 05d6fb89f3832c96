/**
 * What the editing service's mutations take: each mutation's input (a record given as a plain or GraphQL input
 * object, and the revision read), and who makes the edit. `plain` turns a record as given into the file form the
 * checks and the files use.
 */
import type { FileForm } from '../data/change';

/** A record as given in input: a plain object (or a GraphQL input object) whose absent fields may be null. */
export type RecordInput = object;

/** `createEvent`'s input. */
export interface CreateEventInput {
  event: RecordInput;
  note?: string | null;
}
/** `updateEvent`'s input: `patch` fields left out stay, null removes a field, a list replaces the whole list. */
export interface UpdateEventInput {
  slug: string;
  expectedRevision: number;
  patch: RecordInput;
  note: string;
}
/** `retractEvent`'s input. */
export interface RetractEventInput {
  slug: string;
  expectedRevision: number;
  reason: string;
}
/** `restoreEvent`'s input. */
export interface RestoreEventInput {
  slug: string;
  expectedRevision: number;
  note: string;
}
/** `savePlace`/`saveActor`/`saveSource`'s input: no `expectedRevision` creates, one updates. */
export interface SaveRecordInput {
  record: RecordInput;
  expectedRevision?: number | null;
  note?: string | null;
}

/**
 * Who makes an edit: the editor's name, whether the edit may still start when its turn comes (default: yes), and when
 * its request must be answered (a `performance.now()` time): an edit whose turn would come later is refused at once.
 */
export type Editor = string | { name: string; mayStart?: () => boolean; deadline?: number };

/** A copy of an input value with every null or undefined field left out (as a file leaves out what it does not say). */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const out: FileForm = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = plain(v);
  return out;
}
