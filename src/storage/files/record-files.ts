/**
 * A record's file as a commit writes it: an event's own file (`<date>-<slug>.json`, renamed when its date moves) or
 * its catalogue rewritten whole, prepared under a temporary name beside the journal write and renamed into place
 * once the journal is flushed; and, at start, a journaled change whose file a crash left behind, finished again.
 * (A bulk NDJSON file is not written here: `bulk-writer.ts` rewrites it in the background.)
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EntityType, FileForm } from '../../data/change';
import { catalogueFileText, eventFileName, eventFileText, sameData } from '../../data/file-form';
import { prepareFile, syncDir } from './atomic-write';
import { readFileRecords, statKeyOf } from './folder';
import type { JournalEntry } from './journal';
import type { RecordIndex } from './record-index';

/** The files of records a commit writes whole, in one data folder. */
export class RecordFiles {
  /**
   * `known` is the storage's stat key of each data file as Dateline last wrote or accepted it (set here for each file
   * put in place); `records` has the catalogues a catalogue file is written from, and takes them once it is.
   */
  constructor(
    private readonly dir: string,
    private readonly known: Map<string, string>,
    private readonly records: Pick<RecordIndex, 'catalogue' | 'setCatalogue'>,
    private readonly log: (level: 'info', message: string) => void,
  ) {}

  /**
   * Writes a record's new file `to` under a temporary name and flushes it; the returned step renames it into place
   * (and removes the record's old own file `from` when its date moved it). The folder is flushed at the next
   * checkpoint: until then a start finishes the step again from the journal.
   */
  async prepare(type: EntityType, slug: string, after: FileForm, from: string | null, to: string): Promise<() => Promise<void>> {
    const file = path.join(this.dir, to);
    let list: FileForm[] | null = null;
    let prepared;
    if (type !== 'Event') {
      list = this.records.catalogue(type);
      const at = list.findIndex((r) => r.slug === slug);
      if (at >= 0) list[at] = after;
      else list.push(after);
      prepared = await prepareFile(file, catalogueFileText(type, list));
    } else {
      prepared = await prepareFile(file, eventFileText(after));
    }
    return async () => {
      await prepared.replace();
      if (list && type !== 'Event') this.records.setCatalogue(type, list);
      if (type === 'Event' && from !== null && from !== to && from.endsWith('.json')) {
        await fs.rm(path.join(this.dir, from), { force: true });
        this.known.delete(from);
      }
      this.known.set(to, (await statKeyOf(file))!);
    };
  }

  /** Finishes a journaled change whose file a crash (or a power cut before the folder was flushed) left behind. */
  async rollForward({ change, file }: JournalEntry): Promise<void> {
    const { type, slug } = change.entity;
    const inFile = (await readFileRecords(path.join(this.dir, file))).find((r) => r.type === type && r.slug === slug)?.record ?? null;
    const from = type === 'Event' && change.before && !file.endsWith('.ndjson') ? eventFileName(change.before) : null;
    const oldLeft = from !== null && from !== file && (await statKeyOf(path.join(this.dir, from))) !== null;
    const landed = inFile !== null && sameData(inFile, change.after);
    const notYet = change.before === null ? inFile === null : inFile !== null ? sameData(inFile, change.before) : oldLeft;
    if (landed && !oldLeft) return;
    if (!landed && !notYet) return; // edited by hand since: the scan at start finds it
    await (await this.prepare(type, slug, change.after, from, file))();
    await syncDir(this.dir);
    this.log('info', `${file}: finished change ${change.seq} (${type} ${slug}), which a crash had cut short`);
  }
}
