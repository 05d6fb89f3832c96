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
});
