import { mainThreadClock, recordGcPauses } from '../main-thread';

describe('what a benchmark reads of its own pauses', () => {
  it('counts the collector pauses between start and stop, by kind, and none after', async () => {
    const recording = recordGcPauses();
    // Far more short-lived objects than the young generation holds: scavenges must run.
    let [junk, made] = [[] as { i: number }[], 0];
    for (let i = 0; i < 2_000_000; i++) {
      junk.push({ i });
      if (junk.length === 1000) [junk, made] = [[], made + 1000];
    }
    await new Promise((r) => setTimeout(r, 10));
    const pauses = recording.stop();
    expect(made).toBe(2_000_000);
    expect(pauses.scavenge.count).toBeGreaterThan(0);
    expect(pauses.scavenge.maxMs).toBeLessThanOrEqual(pauses.scavenge.totalMs);
  });

  it('has a main-thread CPU clock on Linux that never runs backwards', () => {
    const clock = mainThreadClock();
    if (process.platform !== 'linux') return expect(clock).toBeUndefined();
    const readings = Array.from({ length: 50 }, () => clock!());
    expect(readings.every((r, i) => r > 0 && (i === 0 || r >= readings[i - 1]))).toBe(true);
  });
});
