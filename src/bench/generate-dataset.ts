/**
 * `npm run generate -- --events 1000000 --out DIR`: writes a synthetic data set of realistic shape
 * for the scale benchmark, in the bulk format the loader accepts: places.json, actors.json,
 * sources.json and events as NDJSON (one EventRecord per line, 100,000 lines a file).
 * Thousands of places in a country > province > city > neighbourhood hierarchy, actors with
 * affiliations, sources, casualty reports and quotes; dates over 15 years, uneven, with busy days.
 * The same arguments always give the same files (a seeded generator).
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { addDays, toDayNumber } from '../data/dates';
import { seededRandom } from './seeded-random';
import { ACTOR_KINDS, CASUALTY_KINDS, COUNT_QUALIFIERS, EVENT_CATEGORIES, PARTICIPANT_ROLES, SOURCE_KINDS, type EventRecord } from '../data/schema';

/** The first and last day of generated events. */
export const GENERATED_FROM = '2010-01-01';
export const GENERATED_TO = '2024-12-31';

/** Words titles, summaries, names and quotes are made of; the search benchmark looks for some. */
export const WORDS = (
  'shelling ceasefire convoy checkpoint talks envoy protest siege airstrike barrel rocket mortar ' +
  'negotiations humanitarian corridor refugees displaced hospital market bridge highway airport ' +
  'offensive withdrawal clashes ambush raid explosion statement summit delegation resolution ' +
  'sanctions aid border crossing militia brigade battalion council ministry parliament election'
).split(' ');

const SYLLABLES = 'al bar dar ham kar mas nab qas ras sha tal zab han mar bin el hal jab kaf lat'.split(' ');

/** What was written. */
export interface GeneratedDataset {
  dir: string;
  events: number;
  places: number;
  actors: number;
  sources: number;
}

/** Writes `events` synthetic events and their catalogues to `dir`. */
export async function generateDataset(dir: string, events: number, seed = 1): Promise<GeneratedDataset> {
  const rnd = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const name = (parts: number) => {
    const s = Array.from({ length: parts }, () => pick(SYLLABLES)).join('');
    return s[0].toUpperCase() + s.slice(1);
  };
  mkdirSync(dir, { recursive: true });

  // Places: 12 countries, ~14 provinces each, ~12 cities each, some with neighbourhoods and camps.
  const places: { slug: string; name: string; kind: string; parent?: string; timeZone?: string; latitude?: number; longitude?: number }[] = [];
  const leaves: string[] = [];
  const zones = ['Asia/Damascus', 'Africa/Cairo', 'Asia/Baghdad', 'Asia/Beirut', 'Asia/Amman', 'Europe/Istanbul'];
  for (let c = 0; c < 12; c++) {
    const country = `country-${c}`;
    places.push({ slug: country, name: `${name(2)}ia`, kind: 'COUNTRY', timeZone: zones[c % zones.length] });
    for (let p = 0; p < 14; p++) {
      const province = `province-${c}-${p}`;
      places.push({ slug: province, name: `${name(2)} Province`, kind: 'PROVINCE', parent: country });
      leaves.push(province);
      for (let t = 0; t < 12; t++) {
        const city = `city-${c}-${p}-${t}`;
        places.push({ slug: city, name: name(3), kind: 'CITY', parent: province, latitude: 30 + rnd() * 10, longitude: 35 + rnd() * 10 });
        leaves.push(city, city);
        if (t < 3) {
          for (let n = 0; n < 3; n++) {
            const hood = `hood-${c}-${p}-${t}-${n}`;
            places.push({ slug: hood, name: name(2), kind: n === 2 ? 'CAMP' : 'NEIGHBOURHOOD', parent: city });
            leaves.push(hood);
          }
        }
      }
    }
  }
  const actors: { slug: string; name: string; kind: string; affiliation?: string; description?: string }[] = [];
  for (let a = 0; a < 2000; a++) {
    const kind = a < 40 ? 'STATE' : pick(ACTOR_KINDS);
    actors.push({
      slug: `actor-${a}`,
      name: `${name(2)} ${name(2)}`,
      kind,
      ...(a >= 40 && rnd() < 0.5 ? { affiliation: `actor-${Math.floor(rnd() * 40)}` } : {}),
      ...(rnd() < 0.3 ? { description: `${pick(WORDS)} ${pick(WORDS)} official` } : {}),
    });
  }
  const sources = Array.from({ length: 200 }, (_, s) => ({ slug: `source-${s}`, name: `${name(2)} ${pick(['News', 'Agency', 'Observatory', 'Times'])}`, kind: pick(SOURCE_KINDS) }));
  writeFileSync(path.join(dir, 'places.json'), JSON.stringify({ places }));
  writeFileSync(path.join(dir, 'actors.json'), JSON.stringify({ actors }));
  writeFileSync(path.join(dir, 'sources.json'), JSON.stringify({ sources }));

  // Uneven dates: a weight per day, with quiet years, busy seasons and a few very busy days.
  const days = toDayNumber(GENERATED_TO) - toDayNumber(GENERATED_FROM) + 1;
  const weights = new Float64Array(days);
  let total = 0;
  for (let d = 0; d < days; d++) {
    const year = Math.floor(d / 365);
    const w = (0.3 + (year % 5) * 0.4) * (1 + Math.sin(d / 30)) * (rnd() < 0.01 ? 20 : 1) + 0.05;
    weights[d] = w;
    total += w;
  }
  const perDay = new Int32Array(days);
  let assigned = 0;
  for (let d = 0; d < days; d++) assigned += perDay[d] = Math.floor((weights[d] / total) * events);
  for (let d = 0; assigned < events; d = (d + 7919) % days, assigned++) perDay[d]++;

  const perFile = 100_000;
  let n = 0;
  let out: ReturnType<typeof createWriteStream> | null = null;
  const write = async (line: string) => {
    if (n % perFile === 0) {
      if (out) await new Promise<void>((done) => out!.end(done));
      out = createWriteStream(path.join(dir, `events-${String(n / perFile).padStart(3, '0')}.ndjson`));
    }
    n++;
    if (!out!.write(line)) await new Promise<void>((done) => out!.once('drain', done));
  };
  for (let d = 0; d < days; d++) {
    const date = addDays(GENERATED_FROM, d);
    for (let k = 0; k < perDay[d]; k++) {
      const category = pick(EVENT_CATEGORIES);
      const place = pick(leaves);
      const violent = category === 'ARMED_CLASH' || category === 'BOMBING' || category === 'AIR_STRIKE';
      const reporters = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(sources).slug);
      const participants = Array.from({ length: Math.floor(rnd() * 4) }, () => ({ actor: pick(actors).slug, role: pick(PARTICIPANT_ROLES) }));
      const record: EventRecord = {
        slug: `e${n}-${pick(WORDS)}-${pick(WORDS)}`,
        title: `${pick(WORDS)} ${pick(WORDS)} near ${place.split('-')[0]} ${n}`.replace(/^./, (c) => c.toUpperCase()),
        summary: `Reports of ${pick(WORDS)} and ${pick(WORDS)} after ${pick(WORDS)}; ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}.`,
        category,
        date,
        precision: 'DAY',
        place,
        sources: [...new Set(reporters)].map((source) => (rnd() < 0.5 ? { source, claim: `${pick(WORDS)} ${pick(WORDS)}` } : { source })),
      };
      if (rnd() < 0.05) record.endDate = addDays(date, 1 + Math.floor(rnd() * 3));
      if (rnd() < 0.2) record.places = [pick(leaves)].filter((p) => p !== place);
      if (participants.length) record.participants = participants;
      if (violent && rnd() < 0.7) {
        record.casualties = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => ({
          kind: pick(CASUALTY_KINDS),
          count: Math.floor(rnd() * 60),
          qualifier: pick(COUNT_QUALIFIERS),
          victims: `${pick(['civilians', 'fighters', 'soldiers', 'children'])}`,
          reportedBy: pick(reporters),
        }));
      }
      if (rnd() < 0.15) record.quotes = [{ text: `We ${pick(WORDS)} the ${pick(WORDS)}.`, speaker: pick(actors).slug, reportedBy: pick(reporters) }];
      await write(`${JSON.stringify(record)}\n`);
    }
  }
  if (out) await new Promise<void>((done) => out!.end(done));
  return { dir, events: n, places: places.length, actors: actors.length, sources: sources.length };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const events = Number(get('events') ?? 10000);
  const out = get('out');
  if (!Number.isInteger(events) || events < 1 || !out) {
    process.stderr.write('usage: npm run generate -- --events N --out DIR   (N a whole number >= 1)\n');
    process.exit(2);
  }
  const started = Date.now();
  generateDataset(out, events).then(
    (g) => process.stdout.write(`wrote ${g.events} events, ${g.places} places, ${g.actors} actors, ${g.sources} sources to ${g.dir} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`),
    (err: unknown) => {
      process.stderr.write(`generate failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
