import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../load-dataset';
import { DataError, formatProblem } from '../problems';

/** A small, valid data folder: places in a hierarchy, actors, sources, four event files and an NDJSON file. */
const GOOD = path.join(__dirname, 'fixtures', 'good');

/** Parsed JSON that a test edits freely. */
type Json = any;

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dateline-load-dataset-'));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A copy of the good fixture in a fresh temporary folder, to break in one way. */
class Variant {
  readonly dir = fs.mkdtempSync(path.join(root, 'variant-'));

  constructor() {
    fs.cpSync(GOOD, this.dir, { recursive: true });
  }

  /** Absolute path of a file in the variant, as the loader names it in problems. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  /** Rewrites a JSON file after `change` has edited its parsed content. */
  edit(name: string, change: (data: Json) => void): this {
    const data = JSON.parse(fs.readFileSync(this.file(name), 'utf8'));
    change(data);
    return this.write(name, JSON.stringify(data, null, 2));
  }

  /** Moves a JSON file to a new name, editing it on the way. */
  rename(from: string, to: string, change: (data: Json) => void = () => {}): this {
    this.edit(from, change);
    fs.renameSync(this.file(from), this.file(to));
    return this;
  }

  write(name: string, text: string): this {
    fs.writeFileSync(this.file(name), text);
    return this;
  }

  /** Rewrites line `n` (1-based) of a text file. */
  editLine(name: string, n: number, change: (data: Json) => void): this {
    const lines = fs.readFileSync(this.file(name), 'utf8').split('\n');
    const data = JSON.parse(lines[n - 1]);
    change(data);
    lines[n - 1] = JSON.stringify(data);
    return this.write(name, lines.join('\n'));
  }

  appendLine(name: string, line: string): this {
    fs.appendFileSync(this.file(name), `${line}\n`);
    return this;
  }

  remove(...names: string[]): this {
    for (const name of names) fs.rmSync(this.file(name));
    return this;
  }

  /** Leaves only the catalogue files, so that the lines asserted are the catalogue's own. */
  withoutEvents(): this {
    return this.remove(...fs.readdirSync(this.dir).filter((n) => !['places.json', 'actors.json', 'sources.json'].includes(n)));
  }

  /** The problem lines the loader reports for this folder; fails when it loads. */
  async problems(): Promise<string[]> {
    return problemLines(this.dir);
  }
}

async function problemLines(dir: string): Promise<string[]> {
  try {
    await loadDataset(dir);
  } catch (err) {
    if (err instanceof DataError) return err.problems.map(formatProblem);
    throw err;
  }
  throw new Error(`expected ${dir} to be rejected`);
}

/** The message JSON.parse gives for `text`, which differs between Node versions. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected invalid JSON');
}

const FIGHTING = '2012-11-04-damascus-fighting.json';
const MEETING = '2012-11-04-lavrov-meets-elaraby.json';
const BOMBING = '2012-11-05-hama-checkpoint-bombing.json';
const PRESS = '2012-11-05-lavrov-press-conference.json';
const NDJSON = 'more-events.ndjson';

/** What the loader gives every record: revision 1, never changed through Dateline. */
const META = { revision: 1, updatedAt: null };
/** What the loader gives every event besides: published, not retracted. */
const EVENT_META = { ...META, status: 'PUBLISHED', retraction: null };

describe('loadDataset on a good folder', () => {
  const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(GOOD, name), 'utf8'));

  it('orders the events by date, then slug, mixing event files and NDJSON lines', async () => {
    const { events } = await loadDataset(GOOD);
    expect(events.map((e) => [e.date, e.slug])).toEqual([
      ['2012-11-04', 'damascus-fighting'],
      ['2012-11-04', 'lavrov-meets-elaraby'],
      ['2012-11-05', 'hama-checkpoint-bombing'],
      ['2012-11-05', 'idlib-air-strike'],
      ['2012-11-05', 'lavrov-press-conference'],
      ['2012-11-06', 'opposition-talks-in-doha'],
    ]);
  });

  it('says where it read each event: its file, and its line in an NDJSON file (blank lines counted)', async () => {
    const { locate } = await loadDataset(GOOD);
    expect(locate!('idlib-air-strike')).toEqual({ file: path.join(GOOD, NDJSON), line: 3 });
    expect(locate!('opposition-talks-in-doha')).toEqual({ file: path.join(GOOD, NDJSON), line: 1 });
    expect(locate!('hama-checkpoint-bombing')).toEqual({ file: path.join(GOOD, BOMBING), line: 0 });
    expect(locate!('no-such-event')).toBeUndefined();
  });

  it('fills in a multi-day event: span displayDate, zone from the country, main place first and once', async () => {
    const { events } = await loadDataset(GOOD);
    expect(events.find((e) => e.slug === 'damascus-fighting')).toStrictEqual({
      slug: 'damascus-fighting',
      title: 'Fighting in Tadamon and Yarmouk camp',
      summary: 'Rebels and government forces fought in the Tadamon district and the Yarmouk camp of Damascus over two days.',
      category: 'ARMED_CLASH',
      date: '2012-11-04',
      underWay: false,
      endDate: '2012-11-05',
      precision: 'DAY',
      displayDate: '4-5 November 2012',
      timeZone: 'Asia/Damascus',
      place: 'tadamon',
      places: ['tadamon', 'yarmouk-camp'],
      participants: [
        { actor: 'free-syrian-army', role: 'COMBATANT' },
        { actor: 'syrian-government-forces', role: 'COMBATANT' },
      ],
      casualties: [
        { kind: 'KILLED', count: 2, qualifier: 'EXACTLY', victims: 'civilians', reportedBy: 'sana' },
        { kind: 'KILLED', count: 50, qualifier: 'AT_LEAST', victims: 'fighters on both sides', reportedBy: 'sohr' },
      ],
      sources: [{ source: 'rferl' }],
      quotes: [],
      related: [],
      ...EVENT_META,
    });
  });

  it('gives an event without optional lists empty ones, no end date and the zone of its province\'s country', async () => {
    const { events } = await loadDataset(GOOD);
    expect(events.find((e) => e.slug === 'hama-checkpoint-bombing')).toStrictEqual({
      slug: 'hama-checkpoint-bombing',
      title: 'Suicide car bombing at an army checkpoint',
      summary: 'A suicide attacker detonated a car bomb at an army checkpoint in Hama Province.',
      category: 'BOMBING',
      date: '2012-11-05',
      underWay: false,
      endDate: null,
      precision: 'DAY',
      displayDate: '5 November 2012',
      timeZone: 'Asia/Damascus',
      place: 'hama-province',
      places: ['hama-province'],
      participants: [],
      casualties: [],
      sources: [
        { source: 'sana', claim: 'A suicide attacker detonated a car bomb at an army checkpoint.' },
        { source: 'sohr' },
      ],
      quotes: [],
      related: [],
      ...EVENT_META,
    });
  });

  it('says the local time of a timed event in the zone of its place', async () => {
    const { events } = await loadDataset(GOOD);
    expect(events.find((e) => e.slug === 'lavrov-press-conference')).toStrictEqual({
      slug: 'lavrov-press-conference',
      title: 'Lavrov speaks to reporters in Cairo',
      summary: "Lavrov said outside players should not dictate Syria's future.",
      category: 'STATEMENT',
      date: '2012-11-05',
      underWay: false,
      endDate: null,
      precision: 'HOUR',
      startsAt: '2012-11-05T10:00:00Z',
      displayDate: 'Around 12:00 on 5 November 2012',
      timeZone: 'Africa/Cairo',
      place: 'cairo',
      places: ['cairo'],
      participants: [{ actor: 'sergei-lavrov', role: 'SPEAKER' }],
      casualties: [],
      sources: [{ source: 'rferl' }],
      quotes: [
        { text: 'Some players cannot be allowed to dictate the future of Syria.', speaker: 'sergei-lavrov', reportedBy: 'rferl' },
      ],
      related: ['lavrov-meets-elaraby'],
      ...EVENT_META,
    });
  });

  it('keeps a displayDate given in the data, and reads NDJSON lines past a blank one', async () => {
    const { events } = await loadDataset(GOOD);
    expect(events.filter((e) => e.slug === 'opposition-talks-in-doha' || e.slug === 'idlib-air-strike')).toStrictEqual([
      {
        slug: 'idlib-air-strike',
        title: 'Air strike in Idlib Province',
        summary: 'Warplanes struck a village in Idlib Province.',
        category: 'AIR_STRIKE',
        date: '2012-11-05',
        underWay: false,
        endDate: null,
        precision: 'PART_OF_DAY',
        partOfDay: 'MORNING',
        displayDate: 'On the morning of 5 November 2012',
        timeZone: 'Asia/Damascus',
        place: 'idlib-province',
        places: ['idlib-province'],
        participants: [],
        casualties: [],
        sources: [{ source: 'sohr' }],
        quotes: [],
        related: [],
        ...EVENT_META,
      },
      {
        slug: 'opposition-talks-in-doha',
        title: 'Syrian opposition meets in Doha',
        summary: 'Opposition groups began talks in Doha.',
        category: 'POLITICAL',
        date: '2012-11-06',
        underWay: false,
        endDate: null,
        precision: 'DAY',
        displayDate: 'From 6 November 2012',
        timeZone: 'Asia/Qatar',
        place: 'doha',
        places: ['doha'],
        participants: [{ actor: 'syrian-national-council', role: 'ATTENDEE' }],
        casualties: [],
        sources: [{ source: 'rferl' }],
        quotes: [],
        related: [],
        ...EVENT_META,
      },
    ]);
  });

  it('reads a retraction kept in an event file: the event is RETRACTED, with who, when and why', async () => {
    const retraction = { at: '2012-11-06T09:00:00Z', editor: 'Night desk', reason: 'The report was withdrawn.' };
    const v = new Variant().edit(BOMBING, (e) => (e.retraction = retraction));
    const { events } = await loadDataset(v.dir);
    const event = events.find((e) => e.slug === 'hama-checkpoint-bombing')!;
    expect({ status: event.status, retraction: event.retraction }).toEqual({ status: 'RETRACTED', retraction });
    expect(events.find((e) => e.slug === 'damascus-fighting')!.status).toBe('PUBLISHED');
  });

  it('reports a retraction without a reason', async () => {
    const v = new Variant().edit(BOMBING, (e) => (e.retraction = { at: '2012-11-06T09:00:00Z', editor: 'Night desk' }));
    expect(await v.problems()).toEqual([`${v.file(BOMBING)}: retraction.reason: is required`]);
  });

  it('accepts an event related to one read after it, and hands every event over by slug', async () => {
    const v = new Variant().edit(FIGHTING, (e) => (e.related = ['opposition-talks-in-doha']));
    const { events, eventsBySlug } = await loadDataset(v.dir);
    expect(events.find((e) => e.slug === 'damascus-fighting')!.related).toEqual(['opposition-talks-in-doha']);
    expect(eventsBySlug!.size).toBe(events.length);
    for (const e of events) expect(eventsBySlug!.get(e.slug)).toBe(e);
  });

  it('works out each place\'s parent, ancestors (nearest first) and time zone', async () => {
    const { places } = await loadDataset(GOOD);
    expect(places).toStrictEqual([
      { slug: 'syria', name: 'Syria', kind: 'COUNTRY', latitude: 34.8021, longitude: 38.9968, timeZone: 'Asia/Damascus', parent: null, ancestors: [], ...META },
      { slug: 'damascus', name: 'Damascus', kind: 'CITY', parent: 'syria', latitude: 33.5131, longitude: 36.2919, ancestors: ['syria'], timeZone: 'Asia/Damascus', ...META },
      { slug: 'tadamon', name: 'Tadamon', kind: 'NEIGHBOURHOOD', parent: 'damascus', ancestors: ['damascus', 'syria'], timeZone: 'Asia/Damascus', ...META },
      { slug: 'yarmouk-camp', name: 'Yarmouk camp', kind: 'CAMP', parent: 'damascus', ancestors: ['damascus', 'syria'], timeZone: 'Asia/Damascus', ...META },
      { slug: 'hama-province', name: 'Hama Province', kind: 'PROVINCE', parent: 'syria', ancestors: ['syria'], timeZone: 'Asia/Damascus', ...META },
      { slug: 'idlib-province', name: 'Idlib Province', kind: 'PROVINCE', parent: 'syria', ancestors: ['syria'], timeZone: 'Asia/Damascus', ...META },
      { slug: 'egypt', name: 'Egypt', kind: 'COUNTRY', parent: null, timeZone: 'Africa/Cairo', ancestors: [], ...META },
      { slug: 'cairo', name: 'Cairo', kind: 'CITY', parent: 'egypt', latitude: 30.0444, longitude: 31.2357, ancestors: ['egypt'], timeZone: 'Africa/Cairo', ...META },
      { slug: 'qatar', name: 'Qatar', kind: 'COUNTRY', timeZone: 'Asia/Qatar', parent: null, ancestors: [], ...META },
      { slug: 'doha', name: 'Doha', kind: 'CITY', parent: 'qatar', ancestors: ['qatar'], timeZone: 'Asia/Qatar', ...META },
    ]);
  });

  it('returns actors and sources as written', async () => {
    const { actors, sources } = await loadDataset(GOOD);
    const withMeta = (records: object[]) => records.map((r) => ({ ...r, ...META }));
    expect({ actors, sources }).toStrictEqual({ actors: withMeta(fixture('actors.json').actors), sources: withMeta(fixture('sources.json').sources) });
  });

  it('has a version that is stable for the same files and changes with any of them', async () => {
    const first = await loadDataset(GOOD);
    const again = await loadDataset(GOOD);
    const changed = new Variant().edit(BOMBING, (e) => (e.title = 'Car bombing at an army checkpoint'));
    const other = await loadDataset(changed.dir);
    expect(first.version).toMatch(/^[0-9a-f]{16}$/);
    expect(again.version).toBe(first.version);
    expect(other.version).not.toBe(first.version);
  });
});

describe('loadDataset on broken folders', () => {
  it('reports a missing folder', async () => {
    const dir = path.join(root, 'no-such-folder');
    await expect(loadDataset(dir)).rejects.toThrow(new DataError([{ file: dir, path: '', message: 'cannot read the data folder (ENOENT)' }]));
    expect(await problemLines(dir)).toEqual([`${dir}: cannot read the data folder (ENOENT)`]);
  });

  it('reports a file that is not valid JSON', async () => {
    const text = '{ "slug": "hama-checkpoint-bombing", }';
    const v = new Variant().write(BOMBING, text);
    expect(await v.problems()).toEqual([`${v.file(BOMBING)}: is not valid JSON: ${jsonError(text)}`]);
  });

  it('keeps the source a participant\'s part is credited to, and reports one that is not in sources.json', async () => {
    const credited = new Variant().edit(FIGHTING, (e) => (e.participants[0].reportedBy = 'sohr'));
    const fighting = (await loadDataset(credited.dir)).events.find((e) => e.slug === 'damascus-fighting')!;
    expect(fighting.participants).toEqual([
      { actor: 'free-syrian-army', role: 'COMBATANT', reportedBy: 'sohr' },
      { actor: 'syrian-government-forces', role: 'COMBATANT' },
    ]);
    const unknown = new Variant().edit(FIGHTING, (e) => (e.participants[0].reportedBy = 'rumour-mill'));
    expect(await unknown.problems()).toEqual([
      `${unknown.file(FIGHTING)}: participants[0].reportedBy: unknown source "rumour-mill"; expected the slug of a source in sources.json`,
    ]);
  });

  it('reports a missing catalogue file, and every reference into it', async () => {
    const v = new Variant().remove('sources.json', FIGHTING, MEETING, PRESS, NDJSON);
    expect(await v.problems()).toEqual([
      `${v.file('sources.json')}: is missing; every data folder needs places.json, actors.json, sources.json`,
      `${v.file(BOMBING)}: sources[0].source: unknown source "sana"; expected the slug of a source in sources.json`,
      `${v.file(BOMBING)}: sources[1].source: unknown source "sohr"; expected the slug of a source in sources.json`,
    ]);
  });

  describe('schema errors', () => {
    it('reports a value of the wrong type', async () => {
      const v = new Variant().edit(FIGHTING, (e) => (e.casualties[1].count = 'fifty'));
      expect(await v.problems()).toEqual([`${v.file(FIGHTING)}: casualties[1].count: must be a whole number, got "fifty"`]);
    });

    it('reports a negative count', async () => {
      const v = new Variant().edit(FIGHTING, (e) => (e.casualties[0].count = -2));
      expect(await v.problems()).toEqual([`${v.file(FIGHTING)}: casualties[0].count: must be a number >= 0, got -2`]);
    });

    it('reports an unknown enum value', async () => {
      const v = new Variant().edit(BOMBING, (e) => (e.category = 'PICNIC'));
      expect(await v.problems()).toEqual([
        `${v.file(BOMBING)}: category: must be one of DIPLOMACY, STATEMENT, POLITICAL, ARMED_CLASH, BOMBING, AIR_STRIKE, got "PICNIC"`,
      ]);
    });

    it('reports a date not written YYYY-MM-DD', async () => {
      const v = new Variant().edit(FIGHTING, (e) => (e.endDate = '5 Nov 2012'));
      expect(await v.problems()).toEqual([`${v.file(FIGHTING)}: endDate: must be a date YYYY-MM-DD, got "5 Nov 2012"`]);
    });

    it('reports a missing required field', async () => {
      const v = new Variant().edit(BOMBING, (e) => delete e.summary);
      expect(await v.problems()).toEqual([`${v.file(BOMBING)}: summary: is required`]);
    });

    it('reports a schema error in a catalogue file with its index', async () => {
      const v = new Variant().withoutEvents().edit('actors.json', (a) => (a.actors[4].kind = 'MILITIA'));
      expect(await v.problems()).toEqual([
        `${v.file('actors.json')}: actors[4].kind: must be one of PERSON, STATE, GOVERNMENT_FORCES, ARMED_GROUP, ORGANIZATION, INTERGOVERNMENTAL_ORGANIZATION, got "MILITIA"`,
      ]);
    });
  });

  it('reports a date that is not on the calendar', async () => {
    const v = new Variant()
      .rename(BOMBING, '2012-02-30-hama-checkpoint-bombing.json', (e) => (e.date = '2012-02-30'))
      .edit(FIGHTING, (e) => (e.endDate = '2012-11-31'));
    expect(await v.problems()).toEqual([
      `${v.file('2012-02-30-hama-checkpoint-bombing.json')}: date: must be a real calendar date YYYY-MM-DD, got "2012-02-30"`,
      `${v.file(FIGHTING)}: endDate: must be a real calendar date YYYY-MM-DD, got "2012-11-31"`,
    ]);
  });

  it('reports an endDate before the date', async () => {
    const v = new Variant().edit(FIGHTING, (e) => (e.endDate = '2012-11-03'));
    expect(await v.problems()).toEqual([
      `${v.file(FIGHTING)}: endDate: is before date (2012-11-03 < 2012-11-04); expected a date on or after 2012-11-04`,
    ]);
  });

  it('reports a file named with another date than the one inside', async () => {
    const v = new Variant().edit(BOMBING, (e) => (e.date = '2012-11-06'));
    expect(await v.problems()).toEqual([
      `${v.file(BOMBING)}: date: is "2012-11-06", unlike the file name; expected the file to be named 2012-11-06-hama-checkpoint-bombing.json`,
    ]);
  });

  it('reports a file named with another slug than the one inside', async () => {
    const v = new Variant().rename(BOMBING, '2012-11-05-hama-bombing.json');
    expect(await v.problems()).toEqual([
      `${v.file('2012-11-05-hama-bombing.json')}: slug: is "hama-checkpoint-bombing", unlike the file name; expected the file to be named 2012-11-05-hama-checkpoint-bombing.json`,
    ]);
  });

  /** An NDJSON line of an event whose slug `slug` another event already has. */
  const eventUsingSlugAgain = (slug: string) =>
    JSON.stringify({ slug, title: 'Again', summary: 'Again.', category: 'BOMBING', date: '2012-11-07', precision: 'DAY', place: 'hama-province', sources: [{ source: 'sana' }] });

  it('reports an event slug used again in another file', async () => {
    const v = new Variant().appendLine(
      NDJSON,
      eventUsingSlugAgain('hama-checkpoint-bombing'),
    );
    expect(await v.problems()).toEqual([
      `${v.file(NDJSON)}:4: slug: "hama-checkpoint-bombing" is already the slug of the event in ${v.file(BOMBING)}; slugs must be unique`,
    ]);
  });

  it('names the first event with a slug used again, even when that one waited for an event read after it', async () => {
    const v = new Variant()
      .edit(FIGHTING, (e) => (e.related = ['opposition-talks-in-doha']))
      .appendLine(
        NDJSON,
        eventUsingSlugAgain('damascus-fighting'),
      );
    expect(await v.problems()).toEqual([
      `${v.file(NDJSON)}:4: slug: "damascus-fighting" is already the slug of the event in ${v.file(FIGHTING)}; slugs must be unique`,
    ]);
  });

  it('lists the problems of an event that waited for one read after it in reading order, with its own in field order', async () => {
    const v = new Variant()
      .edit(FIGHTING, (e) => {
        e.place = 'atlantis';
        e.related = ['opposition-talks-in-doha', 'nowhere-event'];
      })
      .edit(MEETING, (e) => (e.place = 'atlantis'));
    expect(await v.problems()).toEqual([
      `${v.file(FIGHTING)}: place: unknown place "atlantis"; expected the slug of a place in places.json`,
      `${v.file(FIGHTING)}: related[1]: unknown event "nowhere-event"; expected the slug of an event in the data folder`,
      `${v.file(MEETING)}: place: unknown place "atlantis"; expected the slug of a place in places.json`,
    ]);
  });

  it('reports a slug used twice in a catalogue', async () => {
    const v = new Variant()
      .edit('places.json', (p) => p.places.push({ slug: 'cairo', name: 'Cairo again', kind: 'CITY', parent: 'egypt' }))
      .edit('actors.json', (a) => a.actors.push({ slug: 'russia', name: 'Russian Federation', kind: 'STATE' }))
      .edit('sources.json', (s) => s.sources.push({ slug: 'sohr', name: 'SOHR', kind: 'MONITORING_GROUP' }));
    expect(await v.problems()).toEqual([
      `${v.file('places.json')}: places[10].slug: "cairo" is already the slug of place places[7]; slugs must be unique`,
      `${v.file('actors.json')}: actors[7].slug: "russia" is already the slug of actor actors[0]; slugs must be unique`,
      `${v.file('sources.json')}: sources[3].slug: "sohr" is already the slug of source sources[2]; slugs must be unique`,
    ]);
  });

  describe('unknown references', () => {
    it('reports an unknown place, main or other', async () => {
      const v = new Variant()
        .edit(BOMBING, (e) => (e.place = 'atlantis'))
        .edit(FIGHTING, (e) => (e.places = ['yarmouk', 'tadamon']));
      expect(await v.problems()).toEqual([
        `${v.file(FIGHTING)}: places[0]: unknown place "yarmouk"; expected the slug of a place in places.json`,
        `${v.file(BOMBING)}: place: unknown place "atlantis"; expected the slug of a place in places.json`,
      ]);
    });

    it('reports an unknown source of a casualty report', async () => {
      const v = new Variant().edit(FIGHTING, (e) => (e.casualties[1].reportedBy = 'observatory'));
      expect(await v.problems()).toEqual([
        `${v.file(FIGHTING)}: casualties[1].reportedBy: unknown source "observatory"; expected the slug of a source in sources.json`,
      ]);
    });

    it('reports an unknown source of an attribution', async () => {
      const v = new Variant().edit(BOMBING, (e) => (e.sources[1].source = 'reuters'));
      expect(await v.problems()).toEqual([
        `${v.file(BOMBING)}: sources[1].source: unknown source "reuters"; expected the slug of a source in sources.json`,
      ]);
    });

    it('reports an unknown source of a quote', async () => {
      const v = new Variant().edit(PRESS, (e) => (e.quotes[0].reportedBy = 'bbc'));
      expect(await v.problems()).toEqual([
        `${v.file(PRESS)}: quotes[0].reportedBy: unknown source "bbc"; expected the slug of a source in sources.json`,
      ]);
    });

    it('reports an unknown related event', async () => {
      const v = new Variant().edit(PRESS, (e) => (e.related = ['lavrov-meets-elaraby', 'lavrov-meets-arafat']));
      expect(await v.problems()).toEqual([
        `${v.file(PRESS)}: related[1]: unknown event "lavrov-meets-arafat"; expected the slug of an event in the data folder`,
      ]);
    });

    it('reports an event related to itself', async () => {
      const v = new Variant().edit(PRESS, (e) => e.related.push('lavrov-press-conference'));
      expect(await v.problems()).toEqual([
        `${v.file(PRESS)}: related[1]: is the event itself; an event cannot be related to itself`,
      ]);
    });

    it('reports an unknown affiliation of an actor', async () => {
      const v = new Variant().edit('actors.json', (a) => (a.actors[1].affiliation = 'ussr'));
      expect(await v.problems()).toEqual([
        `${v.file('actors.json')}: actors[1].affiliation: unknown actor "ussr"; expected the slug of an actor in actors.json`,
      ]);
    });

    it('reports an actor affiliated with itself', async () => {
      const v = new Variant().edit('actors.json', (a) => (a.actors[0].affiliation = 'russia'));
      expect(await v.problems()).toEqual([
        `${v.file('actors.json')}: actors[0].affiliation: is the actor itself; an actor cannot be its own affiliation`,
      ]);
    });

    it('reports an unknown parent of a place', async () => {
      const v = new Variant().edit('places.json', (p) => (p.places[3].parent = 'damascus-city'));
      expect(await v.problems()).toEqual([
        `${v.file('places.json')}: places[3].parent: unknown place "damascus-city"; expected the slug of a place in places.json`,
      ]);
    });
  });

  it('reports a cycle of parents at each place in it', async () => {
    const v = new Variant().edit('places.json', (p) => (p.places[8].parent = 'doha'));
    expect(await v.problems()).toEqual([
      `${v.file('places.json')}: places[8].parent: "qatar" -> "doha" -> "qatar" is a cycle; a place cannot lie inside itself`,
      `${v.file('places.json')}: places[9].parent: "doha" -> "qatar" -> "doha" is a cycle; a place cannot lie inside itself`,
    ]);
  });

  it('reports a coordinate out of range', async () => {
    // Without events, so that the lines are the catalogue's own.
    const v = new Variant().withoutEvents().edit('places.json', (p) => {
      p.places[0].latitude = 91;
      p.places[1].longitude = -180.5;
    });
    expect(await v.problems()).toEqual([
      `${v.file('places.json')}: places[0].latitude: must be a number <= 90, got 91`,
      `${v.file('places.json')}: places[1].longitude: must be a number >= -180, got -180.5`,
    ]);
  });

  it('reports one coordinate without the other', async () => {
    const v = new Variant().edit('places.json', (p) => {
      p.places[2].longitude = 36.3094;
      p.places[3].latitude = 33.4742;
    });
    expect(await v.problems()).toEqual([
      `${v.file('places.json')}: places[2].latitude: is required when the other coordinate is given; give both or neither`,
      `${v.file('places.json')}: places[3].longitude: is required when the other coordinate is given; give both or neither`,
    ]);
  });

  it('reports a time zone that is not an IANA zone', async () => {
    const v = new Variant().edit('places.json', (p) => (p.places[8].timeZone = 'Asia/Doha'));
    expect(await v.problems()).toEqual([
      `${v.file('places.json')}: places[8].timeZone: "Asia/Doha" is not an IANA time zone, e.g. "Asia/Damascus"`,
    ]);
  });

  it('reports an event at a place with no time zone, nor any around it', async () => {
    const v = new Variant().edit('places.json', (p) => delete p.places[8].timeZone);
    expect(await v.problems()).toEqual([
      `${v.file(NDJSON)}:1: place: "doha" has no time zone, nor has any place it lies in; add timeZone to it or to its country in places.json`,
    ]);
  });

  describe('precision rules', () => {
    const cases: [string, string, (e: Json) => void, string][] = [
      ['PART_OF_DAY without partOfDay', MEETING, (e) => delete e.partOfDay, 'partOfDay: is required when precision is PART_OF_DAY'],
      ['partOfDay without PART_OF_DAY', BOMBING, (e) => (e.partOfDay = 'EVENING'), 'partOfDay: is only allowed when precision is PART_OF_DAY, got precision DAY'],
      ['HOUR without startsAt', PRESS, (e) => delete e.startsAt, 'startsAt: is required when precision is HOUR'],
      ['MINUTE without startsAt', PRESS, (e) => ((e.precision = 'MINUTE'), delete e.startsAt), 'startsAt: is required when precision is MINUTE'],
      [
        'startsAt when only the day is known',
        BOMBING,
        (e) => (e.startsAt = '2012-11-05T10:00:00+02:00'),
        'startsAt: is only allowed when the time of day is known (precision HOUR or MINUTE), got precision DAY',
      ],
      [
        'startsAt without an offset',
        PRESS,
        (e) => (e.startsAt = '2012-11-05 12:00'),
        'startsAt: must be an RFC 3339 date-time with offset, e.g. 2012-11-05T14:30:00+02:00, got "2012-11-05 12:00"',
      ],
      [
        'startsAt on another local date',
        PRESS,
        (e) => (e.startsAt = '2012-11-05T23:30:00Z'),
        'startsAt: falls on 2012-11-06 in Africa/Cairo, unlike date 2012-11-05',
      ],
      ['MONTH not on the first', BOMBING, (e) => (e.precision = 'MONTH'), 'date: must be the first of the month when precision is MONTH, got "2012-11-05"'],
      ['YEAR not on 1 January', BOMBING, (e) => (e.precision = 'YEAR'), 'date: must be 1 January when precision is YEAR, got "2012-11-05"'],
    ];
    it.each(cases)('reports %s', async (_name, file, change, line) => {
      const v = new Variant().edit(file, change);
      expect(await v.problems()).toEqual([`${v.file(file)}: ${line}`]);
    });
  });

  describe('NDJSON lines', () => {
    it('reports a line that is not valid JSON by file and line number', async () => {
      const line = '{"slug": "half-written",';
      const v = new Variant().appendLine(NDJSON, line);
      expect(await v.problems()).toEqual([`${v.file(NDJSON)}:4: is not valid JSON: ${jsonError(line)}`]);
    });

    it('reports a schema error in a line by file and line number', async () => {
      const v = new Variant().editLine(NDJSON, 3, (e) => delete e.title);
      expect(await v.problems()).toEqual([`${v.file(NDJSON)}:3: title: is required`]);
    });
  });

  describe('wording and scope of problems', () => {
    it('lists the known fields when a field is misspelt', async () => {
      const v = new Variant().edit(BOMBING, (e) => {
        e.sumary = e.summary;
        delete e.summary;
      });
      expect(await v.problems()).toEqual([
        `${v.file(BOMBING)}: summary: is required`,
        `${v.file(BOMBING)}: sumary: is not a known field; expected one of $schema, slug, title, summary, category, date, underWay, endDate, precision, partOfDay, startsAt, displayDate, place, places, participants, casualties, sources, quotes, related, retraction`,
      ]);
    });

    it('says a slug is expected, not a date, for a slug written wrong', async () => {
      const v = new Variant().edit(PRESS, (e) => (e.related = ['Hama_Bombing']));
      expect(await v.problems()).toEqual([`${v.file(PRESS)}: related[0]: must be a slug (a-z, 0-9 and single hyphens), got "Hama_Bombing"`]);
    });

    it('says "an array" and "an object" with their articles', async () => {
      const v = new Variant().edit(BOMBING, (e) => (e.places = 'hama-province'));
      expect(await v.problems()).toEqual([`${v.file(BOMBING)}: places: must be an array, got "hama-province"`]);
      const w = new Variant().withoutEvents().write('sources.json', '[]');
      expect(await w.problems()).toEqual([`${w.file('sources.json')}: must be an object, got a list`]);
    });

    it('says "an actor" for an unknown participant and speaker', async () => {
      const v = new Variant().edit(PRESS, (e) => {
        e.participants[0].actor = 'amr-moussa';
        e.quotes[0].speaker = 'amr-moussa';
      });
      const lines = await v.problems();
      expect(lines.filter((l) => l.includes('amr-moussa'))).toEqual([
        `${v.file(PRESS)}: participants[0].actor: unknown actor "amr-moussa"; expected the slug of an actor in actors.json`,
        `${v.file(PRESS)}: quotes[0].speaker: unknown actor "amr-moussa"; expected the slug of an actor in actors.json`,
      ]);
    });

    it('reports a bad zone of a place with a timed event instead of crashing', async () => {
      const v = new Variant().edit('places.json', (p) => (p.places[6].timeZone = 'Africa/Kairo'));
      expect(await v.problems()).toEqual([
        `${v.file('places.json')}: places[6].timeZone: "Africa/Kairo" is not an IANA time zone, e.g. "Asia/Damascus"`,
      ]);
    });

    it('keeps the slug of a wrong catalogue record, so what refers to it is not reported too', async () => {
      const v = new Variant().edit('places.json', (p) => (p.places[1].latitude = 91));
      expect(await v.problems()).toEqual([`${v.file('places.json')}: places[1].latitude: must be a number <= 90, got 91`]);
    });

    it('reports a cycle at the first place with the slug, not at a later duplicate', async () => {
      const v = new Variant().edit('places.json', (p) => {
        p.places.push({ slug: 'qatar', name: 'Qatar again', kind: 'COUNTRY' });
        p.places[8].parent = 'doha';
      });
      expect(await v.problems()).toEqual([
        `${v.file('places.json')}: places[10].slug: "qatar" is already the slug of place places[8]; slugs must be unique`,
        `${v.file('places.json')}: places[8].parent: "qatar" -> "doha" -> "qatar" is a cycle; a place cannot lie inside itself`,
        `${v.file('places.json')}: places[9].parent: "doha" -> "qatar" -> "doha" is a cycle; a place cannot lie inside itself`,
      ]);
    });
  });

  it('reports every problem at once, not just the first', async () => {
    const text = '{"slug": ';
    const v = new Variant()
      .write(BOMBING, text)
      .edit(FIGHTING, (e) => (e.casualties[1].count = 'fifty'))
      .editLine(NDJSON, 3, (e) => (e.sources[0].source = 'bbc'))
      .edit('places.json', (p) => (p.places[8].timeZone = 'Mars/Olympus'))
      .edit(PRESS, (e) => (e.related = ['lavrov-meets-arafat']));
    const lines = [
      `${v.file(FIGHTING)}: casualties[1].count: must be a whole number, got "fifty"`,
      `${v.file(BOMBING)}: is not valid JSON: ${jsonError(text)}`,
      `${v.file('places.json')}: places[8].timeZone: "Mars/Olympus" is not an IANA time zone, e.g. "Asia/Damascus"`,
      `${v.file(PRESS)}: related[0]: unknown event "lavrov-meets-arafat"; expected the slug of an event in the data folder`,
      `${v.file(NDJSON)}:3: sources[0].source: unknown source "bbc"; expected the slug of a source in sources.json`,
    ];
    expect(await v.problems()).toEqual(lines);
    await expect(loadDataset(v.dir)).rejects.toThrow(`5 problems in the data:\n${lines.join('\n')}`);
  });
});
