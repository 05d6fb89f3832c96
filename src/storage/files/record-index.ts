/**
 * What the file storage knows of each record, without reading the folder again: its revision (the journal's last
 * one, or 1 for a record loaded and never changed), its form as last committed and the file that holds it; each
 * catalogue whole, in file order; and where each event of a bulk file is. Commits and picked-up hand edits keep it
 * up to date; an edit reads from it what it starts from.
 */
import * as path from 'node:path';
import type { CommittedChange, EntityType, FileForm } from '../../data/change';
import type { Dataset } from '../../data/dataset';
import { CATALOGUE_OF } from '../../data/file-form';
import { BulkLines } from './bulk-lines';
import { keyOf, readFileRecords, statKeyOf, type RecordKey } from './folder';

/** The type of a record that lives in a catalogue file (places, actors, sources). */
export type CatalogueType = Exclude<EntityType, 'Event'>;

/** What the journal says of a record Dateline changed: its last revision and where it lives. */
interface Latest {
  revision: number;
  at: string;
  after: FileForm;
  file: string;
}

/** Each record's revision, last committed form and file, as the file storage knows them. */
export class RecordIndex {
  private readonly latest = new Map<RecordKey, Latest>();
  private catalogues: Record<CatalogueType, FileForm[]> = { Place: [], Actor: [], Source: [] };
  private loadedEvents: { get(slug: string): { date: string } | undefined } = new Map();
  /** Where each event of a bulk file is; set by {@link load}. */
  bulk: BulkLines | null = null;

  /** `known` is the storage's stat key of each data file as Dateline last wrote or accepted it. */
  constructor(
    private readonly dir: string,
    private readonly known: ReadonlyMap<string, string>,
  ) {}

  /** Takes the events of the folder as loaded, and where the loader read each of them. */
  load(dataset: Dataset): void {
    this.loadedEvents = dataset.eventsBySlug ?? new Map(dataset.events.map((e) => [e.slug, e]));
    this.bulk = new BulkLines(this.dir, dataset.locate ?? (() => undefined));
  }

  /** Sets each loaded record's revision and last change time from the journal. */
  stamp(dataset: Dataset): void {
    for (const [key, l] of this.latest) setMeta(dataset, key, l);
  }

  /** Records a change journaled to `file` as the record's latest. */
  remember(change: CommittedChange, file: string): void {
    this.latest.set(keyOf(change.entity.type, change.entity.slug), { revision: change.revision, at: change.at, after: change.after, file });
  }

  /** The record as Dateline last committed it, or undefined when the journal has no change of it. */
  lastAfter(key: RecordKey): FileForm | undefined {
    return this.latest.get(key)?.after;
  }

  /** The record's revision now: 0 when it does not exist. */
  revisionOf(type: EntityType, slug: string): number {
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.revision;
    if (type === 'Event') return this.loadedEvents.get(slug) ? 1 : 0;
    return this.catalogues[type].some((r) => r.slug === slug) ? 1 : 0;
  }

  /** The data file that holds a record now, or null when none does. */
  async fileOf(type: EntityType, slug: string): Promise<string | null> {
    if (type !== 'Event') return this.revisionOf(type, slug) ? CATALOGUE_OF[type].file : null;
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.file;
    const loaded = this.loadedEvents.get(slug);
    if (!loaded) return null;
    const own = `${loaded.date}-${slug}.json`;
    // A file Dateline knows is there (a removal by hand is picked up and forgotten) needs no look at the disk.
    if (this.known.has(own) || (await statKeyOf(path.join(this.dir, own))) !== null) return own;
    return (await this.bulk!.find(slug))?.file ?? null;
  }

  /** The record as its file holds it now, or null when there is none; what an edit starts from. */
  async fileForm(type: EntityType, slug: string): Promise<FileForm | null> {
    if (type !== 'Event') return this.catalogues[type].find((r) => r.slug === slug) ?? null;
    const latest = this.latest.get(keyOf(type, slug));
    if (latest) return latest.after;
    const file = await this.fileOf(type, slug);
    if (!file) return null;
    if (!file.endsWith('.ndjson')) return (await readFileRecords(path.join(this.dir, file))).find((r) => r.slug === slug)?.record ?? null;
    return (await this.bulk!.find(slug))?.record ?? null;
  }

  /** Every record of a catalogue, in file form and file order (a copy). */
  catalogue(type: CatalogueType): FileForm[] {
    return [...this.catalogues[type]];
  }

  /** Takes `list` as the catalogue's records, once its file holds them. */
  setCatalogue(type: CatalogueType, list: FileForm[]): void {
    this.catalogues[type] = list;
  }

  /** Reads every catalogue file again. */
  async readCatalogues(): Promise<void> {
    for (const type of ['Place', 'Actor', 'Source'] as const) {
      this.catalogues[type] = (await readFileRecords(path.join(this.dir, CATALOGUE_OF[type].file))).map((r) => r.record);
    }
  }
}

/** Sets a loaded record's revision and last change time from the journal. */
function setMeta(dataset: Dataset, key: RecordKey, { revision, at }: Latest): void {
  const [type, slug] = key.split(/:(.*)/s) as [EntityType, string];
  const lists = { Event: dataset.events, Place: dataset.places, Actor: dataset.actors, Source: dataset.sources };
  const record = type === 'Event' && dataset.eventsBySlug ? dataset.eventsBySlug.get(slug) : (lists[type] as { slug: string }[]).find((r) => r.slug === slug);
  if (record) Object.assign(record, { revision, updatedAt: at });
}
