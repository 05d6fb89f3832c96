import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { DEFAULT_EVENTS_DIR } from '../test-support/test-server';

const ARTICLE_DIR = path.resolve(__dirname, '..', 'data', 'article');
const record = JSON.parse(readFileSync(path.join(ARTICLE_DIR, 'article.json'), 'utf8')) as { title: string; publisher: string; published: string; source: string; credits: string[]; text: string };
const article = readFileSync(path.join(ARTICLE_DIR, record.text), 'utf8');

let data: Dataset;
beforeAll(async () => {
  data = await loadDataset(DEFAULT_EVENTS_DIR);
});
const event = (slug: string) => data.events.find((e) => e.slug === slug);

describe('the default data set (events/)', () => {
  it('has the four headline events with their dates, places, categories and figures', () => {
    const headline = ['lavrov-meets-elaraby-and-brahimi-in-cairo', 'hama-checkpoint-suicide-car-bombing', 'damascus-fighting-tadamon-yarmouk', 'idlib-air-strike'].map((slug) => {
      const e = event(slug)!;
      return { slug, date: e.date, endDate: e.endDate, precision: e.precision, place: e.place, places: e.places, category: e.category, casualties: e.casualties };
    });
    expect(headline).toEqual([
      { slug: 'lavrov-meets-elaraby-and-brahimi-in-cairo', date: '2012-11-04', endDate: null, precision: 'DAY', place: 'cairo', places: ['cairo'], category: 'DIPLOMACY', casualties: [] },
      {
        slug: 'hama-checkpoint-suicide-car-bombing',
        date: '2012-11-05',
        endDate: null,
        precision: 'DAY',
        place: 'hama-province',
        places: ['hama-province'],
        category: 'BOMBING',
        casualties: [{ kind: 'KILLED', count: 50, qualifier: 'AT_LEAST', victims: 'Syrian government soldiers and fighters loyal to Assad', reportedBy: 'syrian-observatory-for-human-rights' }],
      },
      { slug: 'damascus-fighting-tadamon-yarmouk', date: '2012-11-04', endDate: null, precision: 'PART_OF_DAY', place: 'damascus', places: ['damascus', 'tadamon', 'yarmouk-camp'], category: 'ARMED_CLASH', casualties: [] },
      {
        slug: 'idlib-air-strike',
        date: '2012-11-05',
        endDate: null,
        precision: 'DAY',
        place: 'idlib-province',
        places: ['idlib-province'],
        category: 'AIR_STRIKE',
        casualties: [{ kind: 'KILLED', count: 20, qualifier: 'AT_LEAST', victims: 'rebel fighters', reportedBy: 'syrian-observatory-for-human-rights' }],
      },
    ]);
  });

  it('says the Damascus fighting began late on 4 November', () => {
    expect(event('damascus-fighting-tadamon-yarmouk')?.displayDate).toBe('Late on 4 November 2012');
  });

  it('credits the Hama bombing to the state news agency and the Observatory side by side', () => {
    expect(event('hama-checkpoint-suicide-car-bombing')!.sources.map((s) => s.source)).toEqual(
      expect.arrayContaining(['syrian-state-news-agency', 'syrian-observatory-for-human-rights']),
    );
  });

  it('places Tadamon in Damascus in Syria, and Hama province in Syria', () => {
    const place = (slug: string) => data.places.find((p) => p.slug === slug)!;
    expect(place('tadamon').ancestors).toEqual(['damascus', 'syria']);
    expect(place('hama-province').ancestors).toEqual(['syria']);
    expect(place('tadamon').timeZone).toBe('Asia/Damascus');
  });

  it('quotes only words the article prints, each with a speaker', () => {
    const quotes = data.events.flatMap((e) => e.quotes);
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.filter((q) => !article.includes(q.text)).map((q) => q.text)).toEqual([]);
  });

  it('invents no time of day: nothing has startsAt, as the article gives no clock times', () => {
    expect(data.events.filter((e) => e.startsAt !== undefined).map((e) => e.slug)).toEqual([]);
  });

  it('gives every figure a number the article prints next to its qualifier', () => {
    for (const c of data.events.flatMap((e) => e.casualties)) {
      const words = { AT_LEAST: 'at least', MORE_THAN: 'more than', ABOUT: 'about', UP_TO: 'up to', EXACTLY: '' }[c.qualifier];
      expect(article).toContain(`${words} ${c.count}`.trim());
    }
  });

  it('is sourced from the article record kept in the repository', () => {
    const rferl = data.sources.find((s) => s.slug === record.source)!;
    expect(rferl.name).toBe(record.publisher);
    expect(rferl.description).toContain(`"${record.title}" (5 November 2012)`);
    expect(record.published).toBe('2012-11-05');
    expect(article).toContain(`With reporting by ${record.credits.slice(0, -1).join(', ')}, and ${record.credits.at(-1)}`);
  });

  it('keeps the quotes of one occasion in one event: the press conference after the Cairo talks, Brahimi taking part', () => {
    const speakersBySlug = Object.fromEntries(data.events.filter((e) => e.quotes.length > 0).map((e) => [e.slug, [...new Set(e.quotes.map((q) => q.speaker))]]));
    expect(speakersBySlug).toEqual({ 'lavrov-cairo-press-conference': ['sergei-lavrov', 'lakhdar-brahimi'], 'syrian-opposition-talks-in-qatar': ['george-sabra'] });
    const conference = event('lavrov-cairo-press-conference')!;
    expect(conference.participants).toContainEqual({ actor: 'lakhdar-brahimi', role: 'SPEAKER' });
    expect(conference.summary).toContain('The article dates the press conference to November 5');
    expect(event('lavrov-meets-elaraby-and-brahimi-in-cairo')!.summary).not.toMatch(/Brahimi said/);
  });

  it('claims no precision or span the article does not give: every dated day is printed in its own sources', () => {
    expect(data.events.filter((e) => e.endDate !== null).map((e) => e.slug)).toEqual([]);
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    const unsupported = data.events.flatMap((e) => {
      const [, month, day] = e.date.split('-').map(Number);
      const said = e.sources.map((a) => a.claim ?? '').join(' ') + ' ' + e.summary;
      if (e.precision === 'MONTH') return said.includes(`in ${months[month - 1]}`) ? [] : [`${e.slug}: no month`];
      if (e.underWay) return [];
      return said.includes(`${months[month - 1]} ${day}`) ? [] : [`${e.slug}: ${e.precision} ${e.date} is not in its sources`];
    });
    expect(unsupported).toEqual([]);
    expect(data.events.filter((e) => e.underWay).map((e) => [e.slug, e.displayDate])).toEqual([['syrian-opposition-talks-in-qatar', 'Under way on 5 November 2012']]);
    expect(event('geneva-declaration')).toMatchObject({ precision: 'MONTH', date: '2012-06-01', endDate: null, displayDate: 'June 2012' });
  });

  it('keeps the toll for the whole conflict in the article\'s words, credited to activists, not as an event\'s casualties', () => {
    const sentence = 'there was no military solution to the conflict in Syria, which has left more than 30,000 dead, according to activists on the ground';
    expect(article).toContain(`Brahimi said ${sentence}`);
    expect(data.events.filter((e) => e.summary.includes(sentence)).map((e) => e.slug)).toEqual(['lavrov-cairo-press-conference']);
    expect(data.events.flatMap((e) => e.casualties).filter((c) => c.count === 30000)).toEqual([]);
  });

  it('says who alone claims a part: the Observatory\'s head named the Hama attacker', () => {
    expect(event('hama-checkpoint-suicide-car-bombing')!.participants).toEqual([
      { actor: 'al-qaeda-inspired-rebel-group', role: 'ATTACKER', reportedBy: 'syrian-observatory-for-human-rights' },
      { actor: 'syrian-government-forces', role: 'TARGET' },
    ]);
  });

  it('uses the article\'s names and roles, and lists no source that no event cites', () => {
    expect(event('lavrov-meets-elaraby-and-brahimi-in-cairo')!.participants.map((p) => p.role)).toEqual(['ATTENDEE', 'ATTENDEE', 'ATTENDEE']);
    expect(event('damascus-fighting-tadamon-yarmouk')!.title).toBe('Heavy fighting in Damascus');
    const yarmouk = data.places.find((p) => p.slug === 'yarmouk-camp')!.name;
    expect(article).toContain(`the ${yarmouk}`);
    const cited = new Set(data.events.flatMap((e) => [...e.sources.map((a) => a.source), ...e.casualties.map((c) => c.reportedBy), ...e.quotes.flatMap((q) => q.reportedBy ?? [])]));
    expect(data.sources.filter((s) => !cited.has(s.slug)).map((s) => s.slug)).toEqual([]);
  });
});
