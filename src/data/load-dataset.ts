/** Reads a data folder, validates every file and every reference, and returns the data set or every problem. */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { folderFiles, type DatasetFiles } from './dataset-files';
import type { Dataset } from './dataset';
import { EventResolver } from './event-resolver';
import { DataError, type DataProblem } from './problems';
import { readNdjson } from './read-ndjson';
import { unknownReferences } from './references';
import { checkAffiliations, resolveCatalogue, resolvePlaces, type Located } from './resolve-catalogues';
import {
  ActorsFile,
  EventFile,
  PlacesFile,
  Slug,
  SourcesFile,
  type ActorRecord,
  type EventRecord,
  type PlaceRecord,
  type SourceRecord,
} from './schema';
import { validateAgainst } from './validate-record';

/** The files every data folder has, besides its events. */
export const CATALOGUE_FILES = ['places.json', 'actors.json', 'sources.json'] as const;

const SLUG_RE = new RegExp(Slug.pattern!);

/** Loads and checks the data folder `dir`; throws a {@link DataError} listing every problem found. */
export function loadDataset(dir: string): Promise<Dataset> {
  return loadDatasetFiles(folderFiles(dir));
}

/** Loads and checks the data set in `files` (a folder's, or a replica's from its database); as {@link loadDataset}. */
export async function loadDatasetFiles(files: DatasetFiles): Promise<Dataset> {
  const { dir } = files;
  const problems: DataProblem[] = [];
  const hash = createHash('sha256');
  const names = await files.names();

  const readJson = async (name: string): Promise<unknown> => {
    const file = path.join(dir, name);
    const text = await files.text(name, problems);
    if (text === undefined) return undefined;
    hash.update(`${name}\0${text}\0`);
    try {
      return JSON.parse(text);
    } catch (err) {
      problems.push({ file, path: '', message: `is not valid JSON: ${(err as Error).message}` });
      return undefined;
    }
  };

  const catalogue = async <T>(name: string, schema: typeof PlacesFile | typeof ActorsFile | typeof SourcesFile, key: string) => {
    const file = path.join(dir, name);
    if (!names.includes(name)) {
      problems.push({ file, path: '', message: `is missing; every data folder needs ${CATALOGUE_FILES.join(', ')}` });
      return [] as Located<T>[];
    }
    const data = await readJson(name);
    if (data === undefined) return [] as Located<T>[];
    const found = validateAgainst(schema, data, file);
    problems.push(...found);
    // A wrong record keeps its slug, so that what refers to it is not reported as well.
    const wrong = new Set(found.map((p) => new RegExp(`^${key}\\[(\\d+)\\]`).exec(p.path)?.[1]));
    const records: unknown = (data as Record<string, unknown>)?.[key];
    if (wrong.has(undefined) || !Array.isArray(records)) return [] as Located<T>[];
    return records
      .map((record: T, i) => ({ record, valid: !wrong.has(String(i)), file, line: 0, at: `${key}[${i}]` }))
      .filter(({ record }) => typeof (record as { slug?: unknown })?.slug === 'string' && SLUG_RE.test((record as { slug: string }).slug));
  };

  const placeRecords = await catalogue<PlaceRecord>('places.json', PlacesFile, 'places');
  const actorRecords = await catalogue<ActorRecord>('actors.json', ActorsFile, 'actors');
  const sourceRecords = await catalogue<SourceRecord>('sources.json', SourcesFile, 'sources');

  // The catalogues are resolved before any event is read, so that each event can be resolved as soon as it is
  // parsed (while it is fresh, and before it outlives a garbage collection); their problems are still listed
  // after those of the event files, as they always were.
  const catalogueProblems: DataProblem[] = [];
  const places = resolvePlaces(placeRecords, catalogueProblems);
  const actors = resolveCatalogue(actorRecords, 'actor', catalogueProblems);
  const sources = resolveCatalogue(sourceRecords, 'source', catalogueProblems);
  checkAffiliations(actorRecords, actors, catalogueProblems);
  const resolver = new EventResolver(places, actors, sources);
  const catalogues = { places, actors, sources };

  for (const name of names) {
    if ((CATALOGUE_FILES as readonly string[]).includes(name)) continue;
    const file = path.join(dir, name);
    if (name.endsWith('.json')) {
      const data = await readJson(name);
      if (data === undefined) continue;
      const found = validateAgainst(EventFile, data, file);
      problems.push(...found);
      if (found.length) {
        problems.push(...unknownReferences(data, file, catalogues).filter((p) => !found.some((f) => f.path === p.path)));
        continue;
      }
      const { $schema: _ignored, ...record } = data as EventRecord & { $schema?: string };
      const expected = `${record.date}-${record.slug}.json`;
      if (name !== expected) {
        const field = name.startsWith(`${record.date}-`) ? 'slug' : 'date';
        problems.push({
          file,
          path: field,
          message: `is ${JSON.stringify(record[field])}, unlike the file name; expected the file to be named ${expected}`,
        });
      }
      resolver.add(record, file, 0);
    } else if (name.endsWith('.ndjson')) {
      await readNdjson(files.chunks(name, problems), file, name, hash, problems, resolver, catalogues);
    }
  }

  const events = resolver.finish();
  problems.push(...catalogueProblems, ...resolver.problems());
  if (problems.length) throw new DataError(problems);
  return {
    events,
    eventsBySlug: resolver.bySlug(),
    locate: resolver.locator(),
    places: [...places.values()],
    actors: [...actors.values()],
    sources: [...sources.values()],
    version: hash.digest('hex').slice(0, 16),
  };
}
