/**
 * Long computations written as generators that yield every few thousand steps, so that the same code runs through
 * in one go (a first load) or in slices between other work (a compaction beside queries). A generator may yield the
 * name of the phase it enters, so that a slice that ran long can say which phase held it.
 */
import { int32Of, type Arena } from './arena';

/** A computation that yields between steps (a phase's name when it enters one, else nothing) and returns its result. */
export type Steps<T> = Generator<string | void, T, void>;

/** Runs `steps` through in one go. */
export function runToEnd<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * How long one slice took: by the clock, and in CPU time (which other processes on a busy machine do not inflate);
 * and its longest single step by the clock, with the phase that step belonged to.
 */
export interface SliceTime {
  wallMs: number;
  cpuMs: number;
  longestStepMs: number;
  longestStepPhase: string;
}

/** CPU time of this process so far in ms: every thread's, so the collector's helper threads count too. */
export const processCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Runs `steps` in slices of about `sliceMs` milliseconds each, giving the event loop back between slices (so
 * requests are served meanwhile); resolves with the result. `onSlice` hears how long each slice took, in CPU time
 * by `cpuMs` (a benchmark passes the main thread's, which is what holds queries up). `atSliceEnd` runs at the end of
 * every slice but the last, within its time (a compaction collects its young garbage there: see `YoungCollector`).
 */
export function runInSlices<T>(
  steps: Steps<T>,
  sliceMs: number,
  onSlice?: (time: SliceTime) => void,
  cpuMs: () => number = processCpuMs,
  atSliceEnd?: () => void,
): Promise<T> {
  let phase = 'start';
  return new Promise<T>((resolve, reject) => {
    const slice = () => {
      const started = performance.now();
      const cpu = cpuMs();
      let [last, longestStepMs, longestStepPhase] = [started, 0, phase];
      const report = () => {
        onSlice?.({ wallMs: performance.now() - started, cpuMs: cpuMs() - cpu, longestStepMs, longestStepPhase });
      };
      try {
        for (;;) {
          const stepPhase = phase;
          const step = steps.next();
          const now = performance.now();
          if (now - last > longestStepMs) [longestStepMs, longestStepPhase] = [now - last, stepPhase];
          last = now;
          if (step.done) {
            report();
            resolve(step.value);
            return;
          }
          if (typeof step.value === 'string') phase = step.value;
          if (now - started >= sliceMs) break;
        }
        atSliceEnd?.();
      } catch (err) {
        reject(err);
        return;
      }
      report();
      setImmediate(slice);
    };
    setImmediate(slice);
  });
}

/** Elements a step copies at most in {@link copyInSteps}. */
export const COPY_STEP = 1 << 15;

/** A copy of `source`, made {@link COPY_STEP} elements at a time with a yield after each (one copy of millions is one long step). */
export function* copyInSteps(source: Int32Array, arena?: Arena): Steps<Int32Array> {
  const out = int32Of(arena, source.length).array;
  for (let at = 0; at < source.length; at += COPY_STEP) {
    out.set(source.subarray(at, at + COPY_STEP), at);
    yield;
  }
  return out;
}

/** Elements of a typed array {@link touchInSteps} writes between two yields: 256 pages of 4 KiB. */
const TOUCH_STEP = 1 << 18;

/**
 * Writes a zero into every page of `array`, a fresh (zero-filled, untouched) typed array, {@link TOUCH_STEP}
 * elements at a time with a yield after each. The first write to a page of fresh memory is a page fault (about 5 ms
 * a MiB on the machines measured): a later step's scattered writes into a fresh array of many MiB would take them
 * all at once.
 */
export function* touchInSteps(array: Int32Array): Steps<void> {
  for (let at = 0; at < array.length; at += 1024) {
    array[at] = 0;
    if ((at & (TOUCH_STEP - 1)) === 0) yield;
  }
}

/**
 * A zero-filled Int32Array of `length`: from `arena` when given (zeroed in steps if its memory held an older base's
 * arrays), else fresh, its pages touched in steps (see {@link touchInSteps}).
 */
export function* zeroedInSteps(length: number, arena?: Arena): Steps<Int32Array> {
  const { array, dirty } = int32Of(arena, length);
  yield* readyInSteps(array, dirty);
  return array;
}

/**
 * Makes `array` ready to be written all over, in steps: zeroed when `dirty` (memory that held an older base's arrays,
 * see `Arena`), else (fresh memory, zero already) its pages touched (see {@link touchInSteps}).
 */
export function* readyInSteps(array: Int32Array, dirty: boolean): Steps<void> {
  if (!dirty) return yield* touchInSteps(array);
  for (let at = 0; at < array.length; at += COPY_STEP) {
    array.subarray(at, at + COPY_STEP).fill(0);
    yield;
  }
}
