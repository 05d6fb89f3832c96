import { runToEnd, zeroedInSteps, type Steps } from '../steps';

/** How many times `steps` yields before its result, and the result. */
function countYields<T>(steps: Steps<T>): { yields: number; value: T } {
  for (let yields = 0; ; yields++) {
    const step = steps.next();
    if (step.done) return { yields, value: step.value };
  }
}

describe('zeroedInSteps', () => {
  it('gives a zero-filled array, its pages touched 256 at a time (a yield per MiB), not in one step', () => {
    const length = 5 * (1 << 18) + 100;
    const { yields, value } = countYields(zeroedInSteps(length));
    expect(value).toHaveLength(length);
    expect(value.every((v) => v === 0)).toBe(true);
    expect(yields).toBe(6);
    expect(runToEnd(zeroedInSteps(0))).toHaveLength(0);
  });
});
