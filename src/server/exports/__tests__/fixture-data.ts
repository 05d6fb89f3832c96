/** A temporary data folder: the real data plus events that need what the real data lacks (times, places without coordinates). */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Events added to the real ones; their text has commas, semicolons, backslashes and non-ASCII to test escaping. */
export const EXTRA_EVENTS = [
  {
    slug: 'aleppo-morning-shelling',
    title: 'Shelling in Aleppo; “heavy”, says monitor \\ report',
    summary: 'Shelling hit Aleppo at 08:30 local time, the monitor said; ' + 'residents of al-Ḥamdāniyya described explosions. '.repeat(4),
    category: 'ARMED_CLASH',
    date: '2012-11-05',
    precision: 'MINUTE',
    startsAt: '2012-11-05T08:30:00+02:00',
    place: 'aleppo',
    sources: [{ source: 'syrian-observatory-for-human-rights' }],
    casualties: [{ kind: 'KILLED', count: 3, qualifier: 'MORE_THAN', victims: 'civilians', reportedBy: 'syrian-observatory-for-human-rights' }],
  },
  {
    slug: 'atoll-statement',
    title: 'Statement from a place with no coordinates',
    summary: 'A statement was read out around 14:00.',
    category: 'STATEMENT',
    date: '2012-11-04',
    precision: 'HOUR',
    startsAt: '2012-11-04T14:00:00+03:00',
    place: 'atoll',
    sources: [{ source: 'rferl' }],
  },
];

/** Places added to the real ones: a city without coordinates inside Syria, and a country without any. */
export const EXTRA_PLACES = [
  { slug: 'aleppo', name: 'Aleppo', kind: 'CITY', parent: 'syria' },
  { slug: 'atoll', name: 'Atoll', kind: 'COUNTRY', timeZone: 'Asia/Qatar' },
];

/** Copies `events/` to a new temporary folder with the extras added; returns its path. */
export async function writeFixtureData(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-exports-'));
  for (const name of await fs.readdir('events')) {
    if (name.endsWith('.json')) await fs.copyFile(path.join('events', name), path.join(dir, name));
  }
  const places = JSON.parse(await fs.readFile(path.join(dir, 'places.json'), 'utf8'));
  places.places.push(...EXTRA_PLACES);
  await fs.writeFile(path.join(dir, 'places.json'), JSON.stringify(places));
  for (const event of EXTRA_EVENTS) await fs.writeFile(path.join(dir, `${event.date}-${event.slug}.json`), JSON.stringify(event));
  return dir;
}
