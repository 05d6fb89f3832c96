/**
 * A copy of every data file as the storage first found it (`history/baseline/`), made once at the first start on a
 * folder. With the journal it says what each record was before a hand edit: the journal has every record Dateline
 * ever changed, the baseline every other one. It is never written again.
 */
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { EntityType, FileForm } from '../../data/change';
import { CATALOGUE_OF } from '../../data/file-form';
import { readFileRecords } from './folder';

const OWN_FILE = /^\d{4}-\d{2}-\d{2}-([a-z0-9-]+)\.json$/;

/** The first-seen records of a data folder. */
export class Baseline {
  private eventFiles: Map<string, string> | null = null;
  private readonly catalogues = new Map<string, Map<string, FileForm>>();

  constructor(private readonly dir: string) {}

  /** Whether the copy was made. */
  async exists(): Promise<boolean> {
    return fs.access(this.dir).then(
      () => true,
      () => false,
    );
  }

  /** Copies the data files `names` of `dataDir` (a copy-on-write clone where the file system can). */
  async create(dataDir: string, names: string[]): Promise<void> {
    const temp = `${this.dir}.partial`;
    await fs.rm(temp, { recursive: true, force: true });
    await fs.mkdir(temp, { recursive: true });
    for (const name of names) await fs.copyFile(path.join(dataDir, name), path.join(temp, name), constants.COPYFILE_FICLONE);
    await fs.rename(temp, this.dir);
  }

  /**
   * The records the first copy of data file `name` held, by slug (none when it had no such file): what a scan of a
   * changed bulk file compares its records with, one read of the copy instead of a search per record.
   */
  async fileRecords(name: string): Promise<Map<string, FileForm>> {
    return new Map((await readFileRecords(path.join(this.dir, name))).map((r) => [r.slug, r.record]));
  }

  /** The record as the folder first had it, or null when it was not there. */
  async record(type: EntityType, slug: string): Promise<FileForm | null> {
    if (type !== 'Event') {
      const file = CATALOGUE_OF[type].file;
      let records = this.catalogues.get(file);
      if (!records) {
        records = new Map((await readFileRecords(path.join(this.dir, file))).map((r) => [r.slug, r.record]));
        this.catalogues.set(file, records);
      }
      return records.get(slug) ?? null;
    }
    if (!this.eventFiles) {
      const names = await fs.readdir(this.dir).catch(() => [] as string[]);
      this.eventFiles = new Map();
      for (const name of names) {
        const own = OWN_FILE.exec(name);
        if (own) this.eventFiles.set(own[1], name);
        else if (name.endsWith('.ndjson')) this.eventFiles.set(`\0${name}`, name);
      }
    }
    const own = this.eventFiles.get(slug);
    const candidates = own ? [own] : [...this.eventFiles.keys()].filter((k) => k.startsWith('\0')).map((k) => k.slice(1));
    const needle = JSON.stringify(slug);
    for (const name of candidates) {
      const file = path.join(this.dir, name);
      if (!own && !(await fs.readFile(file, 'utf8')).includes(needle)) continue;
      const hit = (await readFileRecords(file)).find((r) => r.slug === slug);
      if (hit) return hit.record;
    }
    return null;
  }
}
