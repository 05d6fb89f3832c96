import { YoungCollector } from '../collector';

describe('YoungCollector', () => {
  it('collects the young generation once much fresh memory outside the heap was made since the last, and not again until more is', () => {
    const collector = new YoungCollector(8 << 20, 1);
    expect(collector.collectIfDue()).toBe(false);
    const made = Array.from({ length: 4 }, () => new Int32Array(1 << 20));
    expect(collector.due()).toBe(true);
    expect(collector.collectIfDue()).toBe(true);
    expect(collector.collections).toBe(1);
    expect(collector.due()).toBe(false);
    expect(collector.collectIfDue()).toBe(false);
    expect(collector.collections).toBe(1);
    expect(made).toHaveLength(4);
  });

  it('collects once much of the young generation was filled since the last', () => {
    const collector = new YoungCollector(Infinity, 0.25);
    collector.collectIfDue();
    const before = collector.collections;
    const kept: object[] = [];
    for (let i = 0; i < 200_000 && !collector.due(); i++) kept.push({ i, text: `young ${i}` });
    expect(collector.collectIfDue()).toBe(true);
    expect(collector.collections).toBe(before + 1);
  });
});
