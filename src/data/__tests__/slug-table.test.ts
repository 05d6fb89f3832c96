import { SlugTable } from '../slug-table';

describe('SlugTable', () => {
  it('agrees with a Map on adds, repeats, changes and lookups as it grows', () => {
    const table = new SlugTable<number>();
    const map = new Map<string, number>();
    const added: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Every third key repeats an earlier one, so repeats meet keys placed before and after each growth.
      const key = i % 3 === 2 ? `event-${i >> 1}` : `event-${i}`;
      const isNew = !map.has(key);
      if (isNew) map.set(key, i);
      added.push(table.add(key, i) === isNew);
    }
    expect(added.every(Boolean)).toBe(true);
    for (const [key, value] of map) if (value % 5 === 0) (table.set(key, -value), map.set(key, -value));
    expect(table.size).toBe(map.size);
    for (const key of [...map.keys(), 'event-x', '', 'event-20000']) {
      expect([key, table.get(key), table.has(key)]).toEqual([key, map.get(key), map.has(key)]);
    }
  });

  it('refuses to change a slug it does not hold', () => {
    const table = new SlugTable<string>();
    table.add('hama', 'a');
    expect(() => table.set('homs', 'b')).toThrow('SlugTable.set: "homs" is not in the table; add it first');
    expect(table.get('hama')).toBe('a');
  });
});
