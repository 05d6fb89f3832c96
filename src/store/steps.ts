/**
 * Long computations written as generators that yield every few thousand steps, so that the same code runs through
 * in one go (a first load) or in slices between other work (a compaction beside queries).
 */

/** A computation that yields between steps and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs `steps` through in one go. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs `steps` in slices of about `sliceMs` milliseconds each, giving the event loop back between slices (so
 * requests are served meanwhile); resolves with the result. `onSlice` hears how long each slice took.
 */
export function runInSlices<T>(steps: Steps<T>, sliceMs: number, onSlice?: (ms: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const slice = () => {
      const started = performance.now();
      try {
        for (;;) {
          const step = steps.next();
          if (step.done) {
            onSlice?.(performance.now() - started);
            resolve(step.value);
            return;
          }
          if (performance.now() - started >= sliceMs) break;
        }
      } catch (err) {
        reject(err);
        return;
      }
      onSlice?.(performance.now() - started);
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}
